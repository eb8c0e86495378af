"""Ingest files and folders: read, run the pipeline, store; every file and every record is its own outcome.

Whatever goes wrong with one record (it cannot be read, the pipeline fails on it, a value does not
fit the store) rejects that record alone, named `<file>:<record>: <reason>`, in its own transaction:
the batch goes on, and nothing stored before is touched. Only the store itself failing (read-only,
disk full, unreachable: `StoreError`) stops a batch, since every later record would fail the same way;
the error then carries the report of what was done before it (`err.report`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from articles.model import Article
from articles.reader import could_not_read, iter_input_files, read_records, read_text
from clashmap.errors import RecordError, StoreError
from clashmap.pipeline import Pipeline
from events.model import Reading
from store.ingest import IngestReport, article_exists, replace_reading, store_errors, store_reading
from store.validate import check_article, clean_reading


# on_record(done, total, outcome): records handled so far, records known so far (grows as files are
# opened), and "added" / "unchanged" / "rejected"
OnRecord = Callable[[int, int, str], None]


def ingest_one(article: Article, sessions, pipeline: Pipeline, label: str | None = None) -> tuple[str, str | None]:
    """Validate, read and store one article in its own transaction: ("added" | "unchanged" | "rejected", reason).

    Raises only `StoreError` (the store itself failed)."""
    try:
        with store_errors(sessions):
            if article_exists(sessions, check_article(article).id):
                return "unchanged", None
    except StoreError:
        raise
    except RecordError as err:
        return "rejected", str(err)
    except Exception as err:  # noqa: BLE001 - one record's failure is that record's rejection
        return "rejected", str(could_not_read(label or article.source, err))
    reading, reason = read_one(article, sessions, pipeline, label)
    if reading is None:
        return "rejected", reason
    return store_one(reading, sessions, label or article.source)


def read_one(article: Article, sessions, pipeline: Pipeline, label: str | None = None) -> tuple[Reading | None, str | None]:
    """Validate and read one article, storing nothing: (the reading, None) or (None, why it is rejected).

    The slow half of `ingest_one`, kept apart so that a caller who must serialise storing (`clashmap follow`
    with several workers) reads outside its lock. Raises only `StoreError`."""
    label = label or article.source
    try:
        with store_errors(sessions):
            return clean_reading(pipeline.read(check_article(article))), None
    except StoreError:
        raise
    except RecordError as err:
        return None, str(err)
    except Exception as err:  # noqa: BLE001 - one record's failure is that record's rejection
        return None, str(could_not_read(label, err))


def store_one(reading: Reading, sessions, label: str) -> tuple[str, str | None]:
    """Store a reading from `read_one` in its own transaction: ("added" | "unchanged" | "rejected", reason)."""
    try:
        with store_errors(sessions):
            if article_exists(sessions, reading.article.id):
                return "unchanged", None
            return ("added" if store_reading(sessions, reading) else "unchanged"), None
    except StoreError:
        raise
    except RecordError as err:
        return "rejected", str(err)
    except Exception as err:  # noqa: BLE001 - one record's failure is that record's rejection
        return "rejected", str(could_not_read(label, err))


def _note(report: IngestReport, name: str, outcome: str, reason: str | None) -> None:
    if outcome == "rejected":
        report.rejected.append((name, reason or f"{name}: rejected"))
    else:
        getattr(report, outcome).append(name)


def _ingest_into(report: IngestReport, article: Article, sessions, pipeline: Pipeline, label: str) -> str:
    """`ingest_one`, noted in `report`; a failing store carries the report so far (`err.report`)."""
    try:
        outcome, reason = ingest_one(article, sessions, pipeline, label)
    except StoreError as err:
        err.report = report
        raise
    _note(report, label, outcome, reason)
    return outcome


def ingest_articles(articles: Iterable[Article], sessions, pipeline: Pipeline | None = None,
                    report: IngestReport | None = None, label: str | None = None, *,
                    on_record: OnRecord | None = None) -> IngestReport:
    """Store already-read articles (pasted text, uploads); each one its own outcome in `report`."""
    report = report or IngestReport()
    articles = list(articles)
    for done, article in enumerate(articles, start=1):
        pipeline = pipeline or Pipeline(sessions)
        outcome = _ingest_into(report, article, sessions, pipeline, label or article.source)
        if on_record:
            on_record(done, len(articles), outcome)
    return report


def ingest_paths(paths: list[str | Path], sessions, *, progress: bool = False,
                 on_file: Callable[[int, int, Path], None] | None = None,
                 on_record: OnRecord | None = None) -> IngestReport:
    """Ingest every readable file under `paths`; each bad file or record is rejected by name, the rest stored.

    `on_file(index, files, path)` is called as each file begins; `on_record(done, total, outcome)` once per
    record, so a 100k-row CSV shows its progress record by record."""
    files = list(iter_input_files(paths))
    report = IngestReport()
    pipeline: Pipeline | None = None
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(files), unit="record", desc="ingest")
    done = 0
    counted = 0  # records of the files finished so far
    try:
        for index, path in enumerate(files):
            if on_file:
                on_file(index, len(files), path)
            records = read_records(path)
            in_file = 0
            for label, outcome in records:
                in_file += 1
                if isinstance(outcome, RecordError):
                    result = "rejected"
                    _note(report, label, result, str(outcome))
                else:
                    pipeline = pipeline or Pipeline(sessions)
                    result = _ingest_into(report, outcome, sessions, pipeline, label)
                done += 1
                total = counted + max(records.total or 0, in_file) + (len(files) - index - 1)
                if bar is not None:
                    bar.total = total
                    bar.update(1)
                if on_record:
                    on_record(done, total, result)
            counted += max(records.total or 0, in_file)
    finally:
        if bar is not None:
            bar.close()
    return report


def reprocess_stored(sessions, *, progress: bool = False, report: IngestReport | None = None) -> int:
    """Read every stored article again with the current pipeline; returns how many were re-read.

    The stored text is the input as it was ingested, so offsets and ids stay the same. An article the
    pipeline now fails on keeps its old reading and is listed in `report.rejected`."""
    from sqlalchemy import select

    from store.schema import Article as Stored

    report = report if report is not None else IngestReport()
    with store_errors(sessions), sessions() as session:
        ids = session.scalars(select(Stored.id).order_by(Stored.ingested_at)).all()
    iterator = ids
    if progress:
        from tqdm import tqdm

        iterator = tqdm(ids, unit="article", desc="reprocess")
    pipeline = Pipeline(sessions) if ids else None
    count = 0
    for article_id in iterator:
        label = article_id
        try:
            with store_errors(sessions):
                with sessions() as session:
                    row = session.get(Stored, article_id)
                    if row is None:  # removed meanwhile
                        continue
                    label = f"{row.source_path} (article {article_id})"
                    article = read_text(row.text, row.source_path, outlet=row.outlet, title=row.title, url=row.url,
                                        published=row.published)
                replace_reading(sessions, clean_reading(pipeline.read(check_article(article))))
            report.added.append(label)
            count += 1
        except StoreError as err:
            err.report = report
            raise
        except RecordError as err:
            report.rejected.append((label, f"{label}: {err.problem}"))
        except Exception as err:  # noqa: BLE001: one article's failure keeps its old reading, the rest go on
            report.rejected.append((label, str(could_not_read(label, err))))
    return count
