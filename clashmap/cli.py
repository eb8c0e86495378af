"""The `clashmap` command line (contracts in DESIGN.md)."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from pathlib import Path

from clashmap.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent


def _sessions():
    from store.db import open_store

    return open_store()


def cmd_extract(args: argparse.Namespace) -> int:
    from articles.model import ArticleError
    from articles.reader import read_file
    from clashmap.jsonout import reading_json
    from clashmap.pipeline import Pipeline
    from geo.toponyms import ner_stream, provide_entities

    status = 0
    items = []
    for name in args.files:
        try:
            items.extend((name, article) for article in read_file(name))
        except ArticleError as err:
            print(f"clashmap: {err}", file=sys.stderr)
            status = 1
    # NER for all articles in one batched stream (two processes for big batches, started before the store
    # is opened so the model loads meanwhile) while the rest runs here
    bodies = [article.text[article.body_start:] for _, article in items]
    entities = ner_stream(bodies, n_process=2 if len(items) >= 64 else 1)
    pipeline = Pipeline(_sessions())
    batch = getattr(pipeline.geocoder, "batch", contextlib.nullcontext)  # one cache commit per 32 articles
    for first in range(0, len(items), 32):
        with batch():
            for (name, article), body, ents in zip(items[first:first + 32], bodies[first:first + 32], entities):
                provide_entities(body, ents)
                reading = pipeline.read(article)
                if args.format == "json":
                    print(json.dumps(reading_json(reading, name), ensure_ascii=False), flush=True)
                else:
                    _print_text(reading, name)
    return status


def _print_text(reading, name: str) -> None:
    art = reading.article
    print(f"{name}: published {art.published or '?'}, dateline {art.dateline or '-'}")
    for e in reading.events:
        place = e.place.name if e.place else "?"
        print(f"  {e.event_date} {e.event_type} / {e.sub_event_type} at {place}: {e.actor1 or '?'} vs {e.actor2 or '-'}"
              + (f"; losses {e.losses}" if e.losses else "") + (f"; claimed by {e.claimed_by}" if e.claimed_by else ""))
    if reading.unresolved:
        print(f"  unresolved places: {', '.join(reading.unresolved)}")
    from geo.resolve import STORY_AREA

    guessed = sorted({r.toponym.text for r in reading.mentions if r.resolver == STORY_AREA})
    if guessed:
        print(f"  not in the gazetteer, placed at the story's town: {', '.join(guessed)}")


def cmd_ingest(args: argparse.Namespace) -> int:
    from store.loading import ingest_paths

    report = ingest_paths(args.paths, _sessions(), progress=not args.quiet)
    print(f"added {len(report.added)}, unchanged {len(report.unchanged)}, rejected {len(report.rejected)}")
    for source, reason in report.rejected:
        print(f"rejected {reason}", file=sys.stderr)
    return 0 if report.ok else 1


def cmd_reprocess(args: argparse.Namespace) -> int:
    from store.loading import reprocess_stored

    count = reprocess_stored(_sessions(), progress=not args.quiet)
    print(f"reprocessed {count} stored articles")
    return 0


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
    from dashboard.filters import Filters, apply_filters
    from store.export import to_acled_csv, to_geojson
    from store.queries import events_frame

    events = events_frame(_sessions())
    filters = Filters.from_query({k: v for k, v in vars(args).items() if k in Filters.query_keys() and v})
    events = apply_filters(events, filters)
    out = to_acled_csv(events) if args.format == "csv" else to_geojson(events)
    sys.stdout.flush()
    sys.stdout.buffer.write(out.encode("utf-8"))  # UTF-8 whatever the locale (the CSV starts with a BOM)
    sys.stdout.buffer.flush()
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Become the Streamlit server (exec, not a child): SIGTERM/SIGINT reach it, nothing is orphaned.

    The environment's settings were validated by `main`; the secrets files the server will read are
    validated here, before the exec, so a bad value stops `serve` with one line instead of a broken page.
    """
    command = [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard" / "app.py"),
               "--server.port", str(args.port), "--server.headless", "true"]
    if args.secrets:
        secrets = [Path(args.secrets).resolve()]
        if not secrets[0].is_file():
            raise ConfigError(f"{args.secrets}: no such secrets file (--secrets)")
        command += ["--secrets.files", str(secrets[0])]
    else:  # where Streamlit looks by default, the later file winning
        secrets = [Path.home() / ".streamlit" / "secrets.toml", ROOT / ".streamlit" / "secrets.toml"]
    _check_secrets([path for path in secrets if path.is_file()])
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
    from geo.gazetteer_build import build_index
    from geo.geonames_dump import add_and_record, reapply_dumps, unrecorded_dump_sources

    from clashmap.settings import get_settings

    index = Path(get_settings().gazetteer or DEFAULT_INDEX)
    if args.action == "build":
        # the build replaces the index file: dumps recorded by `gazetteer add` are re-applied afterwards
        try:
            lost = unrecorded_dump_sources(index)
        except ValueError as err:
            lost = []
            print(f"clashmap: warning: {err}", file=sys.stderr)
        stats = build_index(index)
        print(f"gazetteer: {stats['places']} places, {stats['names']} names in {stats['seconds']} s -> {index}")
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
        return 0

    status = 0
    for file in args.files:
        try:
            count = add_and_record(index, Path(file))
            print(f"{file}: {count} places added to {index}")
        except ValueError as err:
            print(f"clashmap: {err}", file=sys.stderr)
            status = 1
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="clashmap", description=__doc__)
    parser.add_argument("--debug", action="store_true", help="show the traceback of an unexpected error")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("extract", help="read, geocode and extract without storing; JSON Lines with --format json")
    p.add_argument("files", nargs="+")
    p.add_argument("--format", choices=["json", "text"], default="text")
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

    p = sub.add_parser("export", help="filtered events as ACLED-style CSV or GeoJSON on stdout")
    p.add_argument("--format", choices=["csv", "geojson"], default="csv")
    for key in ("start", "end", "type", "actor", "country", "place", "outlet", "q"):
        p.add_argument(f"--{key}")
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
