"""General news that uses violent or military words (tests/events/general_news.csv), scored row by row.

Most rows (sport, business, trials of old crimes, ordinary crime, accidents, diplomacy, threats and exercises,
history, reviews, campaigning, health, drug raids) hold no ACLED event: every event read from them is false.
The rest hold one ACLED event among such noise: a row passes when its event is found as in
bench.bench_world_reports (type, date +-1 day, place within 50 km, actors and fatalities where given), and
every other event read from it is false.

    .venv/bin/python -m bench.bench_general_news          # each row's verdict, then the totals
    .venv/bin/python -m bench.bench_general_news --only ID # one row
    .venv/bin/python -m bench.bench_general_news --batch 4 # one batch (ids b2-, b3-, b4-...; batch 1 has no prefix)

Batch 3 (ids b3-...) was written before clashmap was run on it and was a check set until brief G17. Batch 4 (ids
b4-..., brief G17: disasters, epidemics, accidents, ordinary crime, trials and anniversaries of past wars,
exhumations, arms deals, drills, veterans, obituaries, war films and books; 54 rows with no event, 15 with one)
was written before clashmap was run on it and is the check set now: nothing is fitted on it
(bench/fit_event_gate.py and bench/fit_article_scope.py leave it out).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bench.bench_world_reports import load_rows, problems, read_row

GENERAL = Path(__file__).resolve().parent.parent / "tests" / "events" / "general_news.csv"


def batch_of(row: dict) -> str:
    """'1' to '4': the batch a row was written in (its id's prefix b2-, b3-, b4-; batch 1 has none)."""
    head = row["id"].split("-", 1)[0]
    return head[1:] if head in ("b2", "b3", "b4") else "1"


def load_general(path: Path = GENERAL) -> list[dict]:
    return load_rows(path)


def score_row(reading, row: dict) -> tuple[list[str], int]:
    """(what is wrong with the row's own event, [] if none is expected or it was found; number of false events)."""
    events = list(reading.events)
    if not row["event_type"]:
        return [], len(events)
    if not events:
        return ["no event"], 0
    best = min(events, key=lambda e: len(problems(e, row)))
    return problems(best, row), len(events) - 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="score only this row id")
    parser.add_argument("--batch", choices=("1", "2", "3", "4"), help="score only this batch of rows")
    args = parser.parse_args(argv)
    import tempfile

    from clashmap.pipeline import Pipeline
    from store.db import open_store

    with tempfile.TemporaryDirectory() as tmp:
        pipeline = Pipeline(open_store(f"sqlite:///{tmp}/store.sqlite"), corrections={})
        rows = [r for r in load_general() if (not args.only or r["id"] == args.only)
                and (not args.batch or batch_of(r) == args.batch)]
        false_on_news = news_rows_with_false = found = found_loose = extra = 0
        for row in rows:
            reading = read_row(pipeline, row)
            wrong, false = score_row(reading, row)
            shown = "; ".join(f"{e.event_type}/{e.sub_event_type}@{e.place.name if e.place else '-'}"
                              for e in reading.events)
            if row["event_type"]:
                found += not wrong
                found_loose += bool(reading.events) and "no event" not in wrong and not any(
                    w.startswith("type ") for w in wrong)
                extra += false
                print(f"{'PASS' if not wrong and not false else 'FAIL'} {row['id']:<22} "
                      f"{'; '.join(wrong) or 'found'}; {false} extra | {shown}")
            else:
                false_on_news += false
                news_rows_with_false += bool(false)
                print(f"{'PASS' if not false else 'FAIL'} {row['id']:<22} {false} false | {shown}")
        news = sum(not r["event_type"] for r in rows)
        held = len(rows) - news
        print()
        print(f"no-event rows: {news_rows_with_false}/{news} give a false event ({false_on_news} false events)")
        print(f"event rows:    {found}/{held} found exactly, {found_loose}/{held} found with the right type; "
              f"{extra} extra events")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
