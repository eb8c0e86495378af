"""Reading news articles: files, pasted text and batches become `Article` records."""

from articles.model import Article, ArticleError
from articles.reader import read_file, read_paths, read_records, read_text

__all__ = ["Article", "ArticleError", "read_file", "read_paths", "read_records", "read_text"]
