"""Ingest files and folders: read, run the pipeline, store; report per file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from articles.model import ArticleError
from articles.reader import iter_input_files, read_file
from clashmap.pipeline import Pipeline
from store.ingest import IngestReport, article_exists, replace_reading, store_reading


def ingest_articles(articles, sessions, pipeline: Pipeline | None = None, report: IngestReport | None = None,
                    label: str | None = None) -> IngestReport:
    """Store already-read articles (pasted text, uploads); skip the pipeline for known ones."""
    report = report or IngestReport()
    pipeline = pipeline or Pipeline(sessions)
    for article in articles:
        name = label or article.source
        if article_exists(sessions, article.id) or not store_reading(sessions, pipeline.read(article)):
            report.unchanged.append(name)
        else:
            report.added.append(name)
    return report


def ingest_paths(paths: list[str | Path], sessions, *, progress: bool = False,
                 on_file: Callable[[int, int, Path], None] | None = None) -> IngestReport:
    """Ingest every readable file under `paths`; a bad file is rejected by name, the rest are stored."""
    files = list(iter_input_files(paths))
    report = IngestReport()
    pipeline: Pipeline | None = None
    iterator = files
    if progress:
        from tqdm import tqdm

        iterator = tqdm(files, unit="file", desc="ingest", file=None)
    for index, path in enumerate(iterator):
        if on_file:
            on_file(index, len(files), path)
        try:
            articles = read_file(path)
        except ArticleError as err:
            report.rejected.append((str(path), str(err)))
            continue
        pipeline = pipeline or Pipeline(sessions)
        ingest_articles(articles, sessions, pipeline, report)
    return report


def reprocess_stored(sessions, *, progress: bool = False) -> int:
    """Read every stored article again with the current pipeline; returns how many were re-read.

    The stored text is the input as it was ingested, so offsets and ids stay the same.
    """
    from sqlalchemy import select

    from articles.reader import read_text
    from store.schema import Article

    with sessions() as session:
        stored = session.execute(select(Article.id, Article.text, Article.source_path, Article.outlet, Article.title,
                                        Article.url, Article.published).order_by(Article.ingested_at)).all()
    iterator = stored
    if progress:
        from tqdm import tqdm

        iterator = tqdm(stored, unit="article", desc="reprocess")
    pipeline = Pipeline(sessions) if stored else None
    for _id, text, source, outlet, title, url, published in iterator:
        article = read_text(text, source, outlet=outlet, title=title, url=url, published=published)
        replace_reading(sessions, pipeline.read(article))
    return len(stored)
