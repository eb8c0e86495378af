"""Ingest files and folders: read, run the pipeline, store; report per file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from articles.model import ArticleError
from articles.reader import iter_input_files, read_file
from clashmap.pipeline import Pipeline
from store.ingest import IngestReport, article_exists, store_reading


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
