"""The `clashmap` command line (contracts in DESIGN.md)."""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import sys
from dataclasses import asdict
from pathlib import Path

from clashmap.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent


def _sessions():
    from store.db import open_store

    return open_store()


def cmd_extract(args: argparse.Namespace) -> int:
    """Every record is its own outcome: rejections go to stderr (exit 1), the other records are printed."""
    from articles.reader import read_records
    from clashmap.errors import RecordError, StoreError
    from clashmap.long_text import is_long
    from clashmap.pipeline import ARTICLE_WORKERS_FROM, Pipeline
    from clashmap.settings import get_settings
    from geo.toponyms import spacy_workers
    from store.corrections import load_corrections
    from store.ingest import store_errors
    from store.validate import check_article

    status = 0

    def reject(message: str) -> None:
        nonlocal status
        print(f"clashmap: {message}", file=sys.stderr, flush=True)
        status = 1

    items = []
    for name in args.files:
        for label, outcome in read_records(name):
            if isinstance(outcome, RecordError):
                reject(str(outcome))
                continue
            try:
                items.append((name if label == str(name) else label, check_article(outcome)))
            except RecordError as err:
                reject(str(err))
    # (a text read in the long-text mode gets neither NER nor parses: clashmap.long_text)
    bodies = ["" if is_long(article) else article.text[article.body_start:] for _, article in items]
    if len(items) >= ARTICLE_WORKERS_FROM and get_settings().geocoder == "offline":
        # many articles: two processes each read whole articles (a long text among them: its pieces one by one)
        sessions = _sessions()
        pipeline = Pipeline(sessions)
        try:
            with store_errors(sessions):
                pipeline.corrections = load_corrections(sessions, pipeline.gazetteer)
        except StoreError as err:
            reject(f"{err} (extract stopped)")
            return status
        return _extract_in_workers(pipeline, items, bodies, args, reject) or status
    # NER for all articles in one batched stream and a long article's clause parses (events.extract.parse_plan),
    # in two worker processes for a long article (started before the store is opened, the workers then read
    # side by side with the rest of the reading here)
    many = sum(map(len, bodies)) >= WORKERS_FROM_CHARS and _a_core_is_free()
    with spacy_workers(2) if many else contextlib.nullcontext() as pool:
        entities = _entities(bodies, pool)
        aheads = [_started_parse(article, pool) for _, article in items]
        sessions = _sessions()
        pipeline = Pipeline(sessions)
        pipeline.processes = min(2, os.cpu_count() or 1)  # a long text's pieces side by side (forked: one thread here)
        try:
            with store_errors(sessions):  # the geocoder's cache is written: a read-only or full store is one line
                # the editors' corrections read once for the whole run, not once per article (a query each:
                # 4% of the reading of LGL's 588 articles); as a batch started after them, every article gets them
                pipeline.corrections = load_corrections(sessions, pipeline.gazetteer)
        except StoreError as err:
            reject(f"{err} (extract stopped)")
            return status
        for first in range(0, len(items), 32):  # one cache commit per 32 articles
            if _emit(_outcomes(pipeline, items[first:first + 32], bodies[first:first + 32], entities,
                               aheads[first:first + 32], args), reject):
                return status
    return status


ARTICLES_PER_TASK = 16  # a worker's task in `_extract_in_workers`: its NER batched, one cache commit


def _extract_in_workers(pipeline, items, bodies, args, reject) -> int:
    """`cmd_extract` for many articles: tasks of ARTICLES_PER_TASK articles read in two worker processes
    (`clashmap.pipeline.read_in_workers`), each task's outcomes printed here in the articles' order."""
    from clashmap.pipeline import read_in_workers

    def task(i: int) -> list[tuple[str, str]]:
        part = slice(i * ARTICLES_PER_TASK, (i + 1) * ARTICLES_PER_TASK)
        return list(_outcomes(pipeline, items[part], bodies[part], _entities(bodies[part]),
                              [None] * len(bodies[part]), args))

    from clashmap.errors import StoreError
    from store.ingest import store_errors

    tasks = -(-len(items) // ARTICLES_PER_TASK)
    try:
        with store_errors(pipeline.sessions):  # the geocoder's answers are written here, a task's at a time
            for outcomes in read_in_workers(pipeline, task, tasks):
                if _emit(outcomes, reject):
                    return 1
    except StoreError as err:
        reject(f"{err} (extract stopped)")
        return 1
    return 0


def _emit(outcomes, reject) -> bool:
    """Print each ("out", text) of `_outcomes` and `reject` the other lines; True when the store failed ("stop":
    the run ends there)."""
    for kind, text in outcomes:
        if kind == "out":
            sys.stdout.write(text)
            sys.stdout.flush()
            continue
        reject(text)
        if kind == "stop":
            return True
    return False


def _entities(bodies: list[str], pool=None):
    """Each body's NER entities, in order, batched (in `pool`'s workers if given); NER only for the articles read
    in full: a long-text body is "" here (clashmap.long_text), and a batch of long texts alone loads no spaCy model."""
    from geo.toponyms import ner_stream

    found = ner_stream([body for body in bodies if body], pool=pool) if any(bodies) else iter(())
    return ([] if not body else next(found) for body in bodies)


def _outcomes(pipeline, items, bodies, entities, aheads, args):
    """Read `items` in one batch of cache writes: yield ("out", printed text), ("reject", line) per article,
    or ("stop", line) when the store itself failed (the articles after it are not read)."""
    from articles.reader import could_not_read
    from clashmap.errors import RecordError, StoreError
    from clashmap.long_text import collector_paused, is_long
    from clashmap.trace import tracing
    from geo.toponyms import provide_entities
    from store.ingest import store_errors, store_problem

    sessions = pipeline.sessions
    batch = getattr(pipeline.geocoder, "batch", contextlib.nullcontext)
    try:
        with store_errors(sessions), batch():
            for (name, article), body, ents, ahead in zip(items, bodies, entities, aheads):
                provide_entities(body, ents)
                # a long text's million objects, read and printed with the collector paused (clashmap.long_text)
                with collector_paused() if is_long(article) else contextlib.nullcontext():
                    try:
                        with tracing() if args.explain else contextlib.nullcontext() as trace:
                            reading = pipeline.read(article, ahead)
                    except RecordError as err:
                        outcome = "reject", str(err)
                    except Exception as err:  # noqa: BLE001: one record's failure; the others are printed
                        if store_problem(err, sessions) is not None:
                            raise
                        outcome = "reject", str(could_not_read(name, err))
                    else:
                        outcome = "out", _rendered(reading, name, args, trace)
                        del reading  # (freed before the collector runs again)
                yield outcome
    except StoreError as err:
        yield "stop", f"{err} (extract stopped)"


def _rendered(reading, name: str, args, trace) -> str:
    """What `clashmap extract` prints for one reading."""
    from clashmap.jsonout import reading_json

    if args.format == "json":
        out = reading_json(reading, name)
        if trace is not None:
            out["explain"] = [asdict(d) for d in trace.decisions]
        return json.dumps(out, ensure_ascii=False) + "\n"
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        _print_text(reading, name)
        if trace is not None:
            _print_trace(trace)
    return buffer.getvalue()


# a batch of this many characters or more (one long article, or many) is read with two spaCy worker processes
WORKERS_FROM_CHARS = 50_000
LONG_ARTICLE_CHARS = 20_000  # shorter articles have fewer than events.extract.PARSE_AHEAD_CLAUSES (200) clauses


def _a_core_is_free() -> bool:
    """A long article's workers only pay when a core would otherwise idle: on a machine busy with other work
    they cost 5-10% more CPU and win no wall time (README, performance); the load average says whether one is
    free. (A batch of 64 articles or more always has its two NER workers, as before.)"""
    try:
        return os.getloadavg()[0] < (os.cpu_count() or 1) - 0.5
    except OSError:
        return True


def _started_parse(article, pool):
    """A long article's clause parses, sent to the workers before its reading starts (None otherwise)."""
    from clashmap.long_text import is_long
    from events.extract import parse_plan
    from events.triggers import started_parse_ahead

    if pool is None or len(article.text) < LONG_ARTICLE_CHARS or is_long(article):
        return None
    plan = parse_plan(article)
    return started_parse_ahead(plan, pool) if plan else None


def _print_trace(trace) -> None:
    """`--explain`: every decision, grouped by stage in the order the pipeline took them."""
    if not trace.decisions:
        print("  explain: no stage recorded a decision")
        return
    print("  explain:")
    for d in trace.decisions:
        print(f"    {d.line()}")


def _print_text(reading, name: str) -> None:
    art = reading.article
    print(f"{name}: published {art.published or '?'}, dateline {art.dateline or '-'}")
    if reading.read_as:
        print(f"  {reading.read_as}")
    for e in reading.events:
        place = e.place.name if e.place else "?"
        print(f"  {e.event_date or 'date unknown'} {e.event_type} / {e.sub_event_type} at {place}: {e.actor1 or '?'} vs {e.actor2 or '-'}"
              + (f"; losses {e.losses}" if e.losses else "") + (f"; claimed by {e.claimed_by}" if e.claimed_by else ""))
    if reading.unresolved:
        print(f"  unresolved places: {', '.join(reading.unresolved)}")
    from geo.resolve import ENCLOSING_AREA, STORY_AREA

    guessed = sorted({r.toponym.text for r in reading.mentions if r.resolver == STORY_AREA})
    if guessed:
        print(f"  placed at the story's town (not in the gazetteer, or only namesakes far away): {', '.join(guessed)}")
    inside = sorted({f"{r.toponym.text} (in {r.place.name})" for r in reading.mentions
                     if r.resolver == ENCLOSING_AREA and r.place is not None})
    if inside:
        print(f"  placed in the region written after it (no town of the name there): {', '.join(inside)}")


def cmd_ingest(args: argparse.Namespace) -> int:
    """The report is always printed, also when the store fails midway (then with the store's one-line error)."""
    from clashmap.errors import StoreError
    from clashmap.loading import ingest_paths

    try:
        report = ingest_paths(args.paths, _sessions(), progress=not args.quiet)
        failure = None
    except StoreError as err:
        report, failure = getattr(err, "report", None), err
        if report is None:
            raise
    print(report.summary())
    return _report_status(report, failure, "rejected", "ingest stopped: the records after it were not read")


def _report_status(report, failure, rejected: str, stopped: str) -> int:
    """Rejections on stderr, then the store's failure if any; exit status 1 unless all went through."""
    for _source, reason in report.rejected:
        print(f"{rejected} {reason}", file=sys.stderr)
    if failure is not None:
        print(f"clashmap: {failure} ({stopped})", file=sys.stderr)
    return 0 if report.ok and failure is None else 1


def cmd_reprocess(args: argparse.Namespace) -> int:
    from clashmap.errors import StoreError
    from store.ingest import IngestReport
    from clashmap.loading import reprocess_stored

    report = IngestReport()
    failure = None
    try:
        count = reprocess_stored(_sessions(), progress=not args.quiet, report=report)
    except StoreError as err:
        count, failure = len(report.added), err
    print(f"reprocessed {count} stored articles" + (f", {len(report.rejected)} kept their old reading"
                                                     if report.rejected else ""))
    return _report_status(report, failure, "not reprocessed", "reprocess stopped")


def cmd_correct(args: argparse.Namespace) -> int:
    """Correct a name's place in every stored article (and every later one), or list the corrections."""
    from clashmap.pipeline import Pipeline
    from geo.names import normalize_name
    from store.corrections import list_corrections, save_correction

    sessions = _sessions()
    if args.list:
        for row in list_corrections(sessions):
            target = (f"{row['place']} ({row['country_code'] or '?'}) id {row['place_id']}" if row["place_id"]
                      else "not a place")
            print(f"{row['name']}\t{target}\t{row['corrected_by']}\t{row['corrected_at']:%Y-%m-%d %H:%M:%S}")
        return 0
    if not args.name or (args.to is None) == (not args.not_a_place):
        raise ConfigError("clashmap correct: give NAME and either --to GEONAMEID or --not-a-place (or --list)")
    if not normalize_name(args.name):
        raise ConfigError(f"clashmap correct: {args.name!r} is not a name")
    pipeline = Pipeline(sessions)
    place = None
    if args.to is not None:
        place = pipeline.gazetteer.get(args.to) or _stored_place(sessions, args.to)
        if place is None:
            raise ConfigError(f"clashmap correct: --to {args.to}: no place with that id in the gazetteer or the store")
    editor = args.editor or os.environ.get("USER") or "cli"
    if not args.force and not _is_mentioned(sessions, args.name):
        raise ConfigError(f"clashmap correct: no stored article mentions {args.name!r} "
                          f"(check the spelling, or --force to store the correction for later articles)")
    changed = save_correction(sessions, args.name, place, editor, read=pipeline.read)
    target = f"{place.name} ({place.country_code or '?'}) id {place.id}" if place else "no place"
    print(f"{args.name}: {changed} mention(s) now point to {target}; their articles were read again")
    return 0


def _stored_place(sessions, place_id: int):
    """A place the store knows but the gazetteer does not (an online geocoder's answer)."""
    from store.corrections import _record
    from store.schema import Place

    with sessions() as session:
        stored = session.get(Place, place_id)
        return _record(stored) if stored is not None else None


def _is_mentioned(sessions, name: str) -> bool:
    from sqlalchemy import select

    from geo.names import normalize_name
    from store.schema import Mention

    key = normalize_name(name)
    with sessions() as session:
        return any(normalize_name(text) == key for text in session.scalars(select(Mention.text).distinct()))


def cmd_geocode(args: argparse.Namespace) -> int:
    from clashmap.pipeline import make_geocoder

    geocoder = make_geocoder(_sessions())
    params = {"country_codes": args.country} if args.country else {}
    found = geocoder.geocode(args.name, exactly_one=False, **params) or []
    if not found:
        print(f"no place called {args.name!r}", file=sys.stderr)
        return 1
    for loc in found[: args.limit]:
        raw = loc.raw
        print(f"{raw.get('name', loc.address)}\t{raw.get('country_code') or ''}\t{raw.get('kind') or ''}\t"
              f"{loc.latitude:.4f}\t{loc.longitude:.4f}\tpop {raw.get('population', 0)}\tid {raw.get('id', '')}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """The filtered events as ACLED's CSV, RFC 7946 GeoJSON or a standalone HTML map, on stdout or into `--output`.

    The filters are the dashboard's (`dashboard.filters`), so a view and its export hold the same events.
    A file is written whole or not at all: the export goes to a temporary file renamed over the target.
    """
    import tempfile

    from dashboard.filters import Filters, apply_filters
    from store.export import to_acled_csv, to_geojson
    from store.queries import events_frame

    query = {key: value for key, value in vars(args).items()
             if key in Filters.query_keys() and value not in (None, "")}
    query = {key: value.isoformat() if hasattr(value, "isoformat") else value for key, value in query.items()}
    events = apply_filters(events_frame(_sessions()), Filters.from_query(query))
    if args.format == "html":
        from clashmap.settings import get_settings
        from dashboard.export_view import html_map

        filters = ", ".join(f"{key} {value}" for key, value in query.items())
        text = html_map(events, public_url=get_settings().public_url, filters=filters)
    else:
        text = to_acled_csv(events) if args.format == "csv" else to_geojson(events)
    data = text.encode("utf-8")
    if not args.output:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)  # UTF-8 whatever the locale (the CSV starts with a BOM)
        sys.stdout.buffer.flush()
        return 0
    target = Path(args.output)
    if not target.parent.is_dir():
        raise ConfigError(f"{args.output}: no such folder for the export (--output)")
    try:
        with tempfile.NamedTemporaryFile(dir=target.parent, prefix=f".{target.name}.", delete=False) as handle:
            handle.write(data)
        os.replace(handle.name, target)
    except OSError as err:
        with contextlib.suppress(OSError, UnboundLocalError):
            os.unlink(handle.name)
        raise ConfigError(f"{args.output}: cannot write the export: {err.strerror or err}") from None
    print(f"{len(events)} event{'' if len(events) == 1 else 's'} -> {target}")
    return 0


def _iso_day(text: str):
    """An ISO date (YYYY-MM-DD) for --start/--end; argparse reports a bad one in one line."""
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date in YYYY-MM-DD form: {text!r}") from None


def cmd_serve(args: argparse.Namespace) -> int:
    """Become the Streamlit server (exec, not a child): SIGTERM/SIGINT reach it, nothing is orphaned.

    The environment's settings were validated by `main`; the secrets files the server will read are
    validated here, before the exec, so a bad value stops `serve` with one line instead of a broken page.
    """
    # dashboard/serve_app.py: dashboard/app.py as Streamlit's ASGI app, with cache headers for the map's static files
    command = [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard" / "serve_app.py"),
               "--server.port", str(args.port), "--server.headless", "true"]
    if args.secrets:
        secrets = [Path(args.secrets).resolve()]
        if not secrets[0].is_file():
            raise ConfigError(f"{args.secrets}: no such secrets file (--secrets)")
        command += ["--secrets.files", str(secrets[0])]
    else:  # where Streamlit looks by default, the later file winning
        secrets = [Path.home() / ".streamlit" / "secrets.toml", ROOT / ".streamlit" / "secrets.toml"]
    _check_secrets([path for path in secrets if path.is_file()])
    from dashboard.cache_headers import cache_rules
    cache_rules()  # a bad row of data/cache_headers.csv: one line now, not a traceback from the server
    sys.stdout.flush()
    sys.stderr.flush()
    os.chdir(ROOT)
    os.execv(sys.executable, command)
    return 1  # not reached: execv replaces this process


def _check_secrets(paths: list[Path]) -> None:
    """Validate the settings in secrets files: top-level `CLASHMAP_*` keys and the `[clashmap]` section.

    Streamlit turns top-level keys into environment variables, so they are checked like the environment.
    """
    import tomllib

    from clashmap.settings import settings_from

    for path in paths:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
            raise ConfigError(f"{path}: not a valid TOML file: {err}") from None
        top = {key.removeprefix("CLASHMAP_").lower(): value for key, value in data.items()
               if key.startswith("CLASHMAP_") and not isinstance(value, dict)}
        section = data.get("clashmap") if isinstance(data.get("clashmap"), dict) else {}
        if top:
            settings_from(top, where=f"{path}: CLASHMAP_")
        if section:
            settings_from({**top, **section}, where=f"{path}: [clashmap] ")


def cmd_synth(args: argparse.Namespace) -> int:
    from store.db import default_url
    from store.synth import synthesize

    url = args.db or default_url()
    counts = synthesize(url, n_events=args.events, n_places=args.places, seed=args.seed)
    print(f"synth: {counts['events']} events, {counts['places']} places, {counts['articles']} articles -> {url}")
    return 0


def cmd_gazetteer(args: argparse.Namespace) -> int:
    from geo.gazetteer import DEFAULT_INDEX
    from geo.gazetteer_build import area_points, build_index, moved_areas, moved_table
    from geo.geonames_dump import add_and_record, reapply_dumps, unrecorded_dump_sources

    from clashmap.settings import get_settings

    index = Path(get_settings().gazetteer or DEFAULT_INDEX)
    before = area_points(index)

    def print_moved() -> None:
        moved = moved_areas(before, area_points(index))
        if moved:
            print(f"{len(moved)} countries and regions moved more than 100 km:")
            print(moved_table(moved))

    if args.action == "build":
        # the build replaces the index file: dumps recorded by `gazetteer add` are re-applied afterwards
        try:
            lost = unrecorded_dump_sources(index)
        except ValueError as err:
            lost = []
            print(f"clashmap: warning: {err}", file=sys.stderr)
        stats = build_index(index)
        print(f"gazetteer: {stats['places']} places, {stats['names']} names in {stats['seconds']} s -> {index}")
        for warning in stats["warnings"]:
            print(f"clashmap: warning: {warning}", file=sys.stderr)
        for name in lost:
            print(f"clashmap: warning: {name} was added to the old index before dumps were recorded; "
                  f"run `clashmap gazetteer add {name}` again to keep its places", file=sys.stderr)
        try:
            applied, warnings = reapply_dumps(index)
        except ValueError as err:
            applied, warnings = [], [str(err)]
        for note in applied:
            print(note)
        for warning in warnings:
            print(f"clashmap: warning: {warning}", file=sys.stderr)
        print_moved()
        return 0

    status = 0
    for file in args.files:
        try:
            count = add_and_record(index, Path(file))
            print(f"{file}: {count} places added to {index}")
        except ValueError as err:
            print(f"clashmap: {err}", file=sys.stderr)
            status = 1
    print_moved()
    return status


def cmd_db(args: argparse.Namespace) -> int:
    from store.copy import CopyError, copy_store

    try:
        counts = copy_store(args.source, args.target)
    except CopyError as err:
        print(f"clashmap db copy: {err}", file=sys.stderr)
        return 1
    print(", ".join(f"{table} {n}" for table, n in counts.items()))
    return 0


def cmd_hash_password(args: argparse.Namespace) -> int:
    import getpass

    from dashboard.auth import hash_password

    password = sys.stdin.readline().rstrip("\n") if args.stdin else getpass.getpass("password: ")
    if not password:
        print("clashmap hash-password: empty password", file=sys.stderr)
        return 1
    print(hash_password(password))
    return 0


def cmd_sources(args: argparse.Namespace) -> int:
    from store.sources import add_source, describe, enable_source, list_sources, remove_source

    sessions = _sessions()
    if args.action == "add":
        if not args.name or not args.url:
            print("clashmap sources add: give a NAME and a URL", file=sys.stderr)
            return 2
        row = add_source(sessions, args.name, args.url, kind=args.kind, country=args.country, language=args.language,
                         affiliation=args.affiliation)
        print(f"added source {row.name!r} ({row.kind}, {row.url})")
    elif args.action in ("remove", "enable"):
        if not args.name:
            print(f"clashmap sources {args.action}: give the NAME of the source", file=sys.stderr)
            return 2
        (remove_source if args.action == "remove" else enable_source)(sessions, args.name)
        print(f"{'removed' if args.action == 'remove' else 'enabled'} source {args.name!r}")
    else:
        rows = list_sources(sessions)
        for row in rows:
            print(describe(row))
        if not rows:
            print("no sources (clashmap sources add NAME URL --kind feed|sitemap|page)")
    return 0


def cmd_follow(args: argparse.Namespace) -> int:
    from clashmap.follow import follow

    if args.queue:
        from clashmap.worker import follow_queue, require_postgres
        from store.db import default_url

        require_postgres(default_url(), "clashmap follow --queue")
        return follow_queue(_sessions(), default_url(), once=args.once, quiet=args.quiet)
    return follow(_sessions(), once=args.once, quiet=args.quiet)


def cmd_worker(args: argparse.Namespace) -> int:
    import logging

    from clashmap.worker import require_postgres, work
    from store.db import default_url

    require_postgres(default_url(), "clashmap worker")
    logging.basicConfig(level=logging.WARNING if args.quiet else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    return work(default_url())


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="clashmap", description=__doc__)
    parser.add_argument("--debug", action="store_true", help="show the traceback of an unexpected error")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("extract", help="read, geocode and extract without storing; JSON Lines with --format json")
    p.add_argument("files", nargs="+")
    p.add_argument("--format", choices=["json", "text"], default="text")
    p.add_argument("--explain", action="store_true",
                   help="also print why: each name kept or dropped, each place chosen, each event's type, date, "
                        "place, actors and numbers, and the rule that dropped each sentence that gave nothing")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("ingest", help="store files or folders of articles (idempotent)")
    p.add_argument("paths", nargs="+")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("reprocess", help="read every stored article again with this version of clashmap")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_reprocess)

    p = sub.add_parser("correct", help="correct a place name in every stored article and later ones; --list shows them")
    p.add_argument("name", nargs="?", help="the name as written in the articles")
    p.add_argument("--to", type=int, metavar="GEONAMEID", help="the place it means (a gazetteer or stored place id)")
    p.add_argument("--not-a-place", action="store_true", help="the name is not a place (a weapon, a person)")
    p.add_argument("--list", action="store_true", help="print the corrections: name, place, who, when")
    p.add_argument("--editor", help="who makes the correction (default: $USER)")
    p.add_argument("--force", action="store_true", help="store it even if no stored article mentions the name")
    p.set_defaults(func=cmd_correct)

    p = sub.add_parser("geocode", help="the candidates the geocoder considers for a name, best first")
    p.add_argument("name")
    p.add_argument("--country", help="ISO country code to keep")
    p.add_argument("--limit", type=int, default=10)
    p.set_defaults(func=cmd_geocode)

    p = sub.add_parser("export", help="filtered events as ACLED's CSV, RFC 7946 GeoJSON or a standalone HTML map "
                                      "(the dashboard's filters)")
    p.add_argument("--format", choices=["csv", "geojson", "html"], default="csv",
                   help="html: one file that opens from disk without internet; its article links use "
                        "CLASHMAP_PUBLIC_URL")
    p.add_argument("--output", "-o", help="write to this file (whole or not at all) instead of stdout")
    p.add_argument("--start", type=_iso_day, help="first day, YYYY-MM-DD")
    p.add_argument("--end", type=_iso_day, help="last day, YYYY-MM-DD")
    p.add_argument("--type", help="event types, comma-separated (ACLED's names)")
    p.add_argument("--sub-type", dest="sub_type", help="sub-event types, comma-separated")
    p.add_argument("--actor", help="events with this actor on either side (several: A|B)")
    p.add_argument("--country", help="ISO 3166-1 alpha-2 code of the country (several: AM,AZ)")
    p.add_argument("--place", help="place name (several: A|B)")
    p.add_argument("--min-fatalities", dest="min_fatalities", type=int, help="events with at least this many killed")
    p.add_argument("--outlet")
    p.add_argument("--contested", choices=["yes", "no"], help="only contested (or only uncontested) events")
    p.add_argument("--q", help="text to find in the evidence, place, actors or claimant")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("serve", help="start the dashboard")
    p.add_argument("--port", type=int, default=8501)
    p.add_argument("--secrets", help="the dashboard's secrets file (default: Streamlit's, .streamlit/secrets.toml)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("synth", help="fill a store with synthetic events (for measuring the dashboard at scale)")
    p.add_argument("--events", type=int, required=True)
    p.add_argument("--places", type=int, default=2000)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--db", help="SQLAlchemy URL of the store to fill (default: CLASHMAP_DB)")
    p.set_defaults(func=cmd_synth)

    p = sub.add_parser("gazetteer", help="build the gazetteer index, or add a GeoNames country dump to it")
    p.add_argument("action", choices=["build", "add"])
    p.add_argument("files", nargs="*")
    p.set_defaults(func=cmd_gazetteer)

    p = sub.add_parser("db", help="database tasks: copy a whole store to another database")
    p.add_argument("action", choices=["copy"])
    p.add_argument("--from", dest="source", required=True, help="SQLAlchemy URL of the store to copy")
    p.add_argument("--to", dest="target", required=True, help="SQLAlchemy URL of an empty database")
    p.set_defaults(func=cmd_db)

    p = sub.add_parser("hash-password", help="hash an editor's or viewer's password for .streamlit/secrets.toml")
    p.add_argument("--stdin", action="store_true", help="read the password from standard input")
    p.set_defaults(func=cmd_hash_password)

    p = sub.add_parser("sources", help="the feeds, news sitemaps and pages clashmap follow polls: add, list, remove")
    p.add_argument("action", choices=["add", "list", "remove", "enable"])
    p.add_argument("name", nargs="?", help="the source's name (add, remove, enable)")
    p.add_argument("url", nargs="?", help="its address (add)")
    p.add_argument("--kind", choices=["feed", "sitemap", "page"], default="feed",
                   help="feed (RSS or Atom), sitemap (news sitemap) or page (one article)")
    p.add_argument("--country", help="ISO 3166-1 alpha-2 code of the outlet's country")
    p.add_argument("--language", help="the language the source is expected to write in, e.g. en")
    p.add_argument("--affiliation", help="a tag such as 'state media' or 'independent'")
    p.set_defaults(func=cmd_sources)

    p = sub.add_parser("follow", help="poll the sources and read new articles: for ever, or one round with --once")
    p.add_argument("--once", action="store_true", help="one round of every due source and queued page, then exit")
    p.add_argument("--quiet", action="store_true", help="no line per round")
    p.add_argument("--queue", action="store_true",
                   help="PostgreSQL only: defer the due polls and page reads as jobs for `clashmap worker` processes")
    p.set_defaults(func=cmd_follow)

    p = sub.add_parser("worker", help="PostgreSQL only: run the jobs `clashmap follow --queue` defers (any number of "
                                      "workers, on any machines)")
    p.add_argument("--quiet", action="store_true", help="warnings only, no line per job")
    p.set_defaults(func=cmd_worker)

    for command in sub.choices.values():  # --debug also after the command: `clashmap ingest --debug ...`
        command.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; a `ClashmapError` is one line `clashmap: <message>` on stderr and status 1.

    Usage errors are argparse's (status 2). Anything unexpected is one line too, with a hint to run
    again with `--debug`, which shows the traceback instead.
    """
    from clashmap.errors import ClashmapError
    from clashmap.settings import get_settings

    args = build_parser().parse_args(argv)
    try:
        get_settings()  # every setting validated before any work starts
        return args.func(args)
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        if args.debug:
            raise
        print("clashmap: interrupted", file=sys.stderr)
        return 130
    except ClashmapError as err:
        if args.debug:
            raise
        print(f"clashmap: {_one_line(str(err))}", file=sys.stderr)
        return 1
    except Exception as err:  # noqa: BLE001 - the last resort: one line instead of a traceback
        if args.debug:
            raise
        print(f"clashmap: unexpected {type(err).__name__}: {_one_line(str(err))} "
              f"(run with --debug for the traceback)", file=sys.stderr)
        return 1


def _one_line(message: str, limit: int = 500) -> str:
    """The first non-empty line of `message`, shortened to `limit` characters."""
    lines = [line.strip() for line in message.strip().splitlines() if line.strip()]
    line = lines[0] if lines else "(no message)"
    return line if len(line) <= limit else line[: limit - 1] + "…"


if __name__ == "__main__":
    raise SystemExit(main())
