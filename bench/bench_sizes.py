"""Time and peak memory of reading one article against its size: the cost must grow linearly.

Each input is generated here from the templates below (own wording, places from many countries),
written to a file with a `date` line, and read by `clashmap extract --format json` in a child
process, so the figures are what a user's upload costs: wall time, and the child's peak RSS
(spaCy's model and the gazetteer included, about 250 MB before the first word is read).

Shapes, each at 10 KB, 100 KB and 1 MB:
- prose, one line: a whole article as one paragraph (scraped pages often come so); its sentences are all
  different (places from the gazetteer's 3,000 biggest cities, numbers up to 900; a repeat is drawn again),
  as real copy's are;
- prose, one line, no sentence end: the same words with no full stop anywhere;
- prose, many lines: one paragraph of a few sentences per line;
- names, one line / many lines: a run of place names ("Lyon, Kano, Mosul, ...") as lists and
  tables pasted as text come;
- names, all different: the gazetteer's cities, biggest first, each named once (every name a new
  look-up and a new place to weigh against all the others).

Then real articles joined into one long text (LGL's first 300 KB, when ../shared is there) against the same
articles read one by one: what a long text is read as, the baseline of any cheaper reading of long texts.

Texts over `long_text_bytes` (200 KB) are read in the long-text mode (clashmap.long_text: no NER, no parse, in
pieces on both cores): the 300 KB and 1 MB columns. What that mode loses is printed after the table: LGL's joined
articles read in it and in full, and the 54 gold articles forced through it (event F1, places within 50 km of the
full reading's).

Targets printed beside the figures: linear (time at 1 MB / time at 100 KB <= ~12, ten times the
input costing at most about ten times the time; 1 MB / 300 KB <= 4, both in the long-text mode) and 1 MB read in
under 10 s.
"""

from __future__ import annotations

import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = (10_000, 100_000, 300_000, 1_000_000)
LINEAR_RATIO = 12.0
# 300 KB and 1 MB are both over long_text_bytes (200 KB): read in the long-text mode, whose cost must grow
# linearly too (1 MB / 300 KB is 3.3 times the input: at most about 4 times the time)
LONG_RATIO = 4.0
ONE_MB_SECONDS = 10.0
TIMEOUT = 600.0  # a run still going after this is reported as "> TIMEOUT" (CLASHMAP_BENCH_TIMEOUT changes it)

PLACES = ["Lyon", "Kano", "Mosul", "Goma", "Cali", "Mandalay", "Aden", "Tripoli", "Juba", "Herat", "Bamako",
          "Marib", "Homs", "Kharkiv", "Mogadishu", "Peshawar", "Maiduguri", "Bunia", "Sirte", "Kandahar",
          "Beni", "Gao", "Timbuktu", "Kirkuk", "Raqqa", "Benghazi", "Taiz", "Hodeidah", "Kassala", "Malakal"]
REGIONS = ["Borno State", "North Kivu", "Idlib province", "Helmand province", "Kidal region", "Nineveh"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
NUMBERS = ["two", "three", "five", "seven", "12", "at least 4", "about 20"]
# own wording; {p} a place, {q} another, {r} a region, {d} a weekday, {n} a number
TEMPLATES = [
    "Shelling hit the town of {p} on {d}, killing {n} civilians, local officials said",
    "Government forces said they had recaptured {p} after heavy fighting with rebels near {q}",
    "An air strike struck a market in {p} on {d} evening and wounded {n} people",
    "Residents of {q} said the army shelled the outskirts of the city overnight",
    "Protesters gathered in {p} on {d} and police dispersed them with tear gas",
    "The ministry said its units had shot down {n} drones over {r}",
    "Fighting continued around {p} and {q} for a second day, according to witnesses",
    "A roadside bomb exploded near a checkpoint outside {p}, the police said",
    "Talks on a ceasefire were held in {q}, but no agreement was reached",
    "Aid groups said {n} families had fled {p} for camps in {r}",
    "He said the talks would go on for {n} more days and that both sides wanted calm in {r}",
]


def _fill(rng: random.Random, template: str, places: list[str]) -> str:
    number = rng.choice(NUMBERS) if rng.random() < 0.3 else str(rng.randint(2, 900))
    return template.format(p=rng.choice(places), q=rng.choice(places), r=rng.choice(REGIONS),
                           d=rng.choice(WEEKDAYS), n=number)


def _place_pool(size: int = 3000) -> list[str]:
    """The template places and the gazetteer's biggest cities: with numbers drawn from hundreds, two sentences
    of a 1 MB article are almost never the same (a reading that cached by sentence would gain nothing here,
    as on real copy)."""
    return PLACES + [name for name in _gazetteer_cities(size) if name not in PLACES]


def _gazetteer_cities(limit: int | None = None) -> list[str]:
    from geo.gazetteer import Gazetteer

    rows = Gazetteer().db.execute("SELECT name FROM place WHERE kind = 'city' ORDER BY population DESC")
    found: list[str] = []
    seen: set[str] = set()
    for (name,) in rows:
        if limit is not None and len(found) >= limit:
            break
        if name.isascii() and name.replace(" ", "").isalpha() and name.lower() not in seen:
            seen.add(name.lower())
            found.append(name)
    return found


def prose(size: int, *, one_line: bool, sentence_ends: bool = True, seed: int = 1) -> str:
    """About `size` bytes of news-like prose: one paragraph, or paragraphs of three sentences per line."""
    rng = random.Random(seed)
    places = _place_pool()
    parts: list[str] = []
    seen: set[str] = set()
    total = 0
    while total < size:
        sentence = _fill(rng, rng.choice(TEMPLATES), places)
        if sentence in seen:
            continue  # every sentence different
        seen.add(sentence)
        sentence += "." if sentence_ends else ""
        if not one_line and len(parts) % 3 == 2:
            sentence += "\n"
        else:
            sentence += " "
        parts.append(sentence)
        total += len(sentence.encode())
    return "".join(parts)[:size].rstrip() + "\n"


def names(size: int, *, one_line: bool, seed: int = 1) -> str:
    """About `size` bytes of place names, comma-separated on one line or one per line."""
    rng = random.Random(seed)
    sep = ", " if one_line else "\n"
    parts: list[str] = []
    total = 0
    while total < size:
        name = rng.choice(PLACES + REGIONS)
        parts.append(name)
        total += len(name) + len(sep)
    return sep.join(parts)[:size].rstrip(", \n") + "\n"


def distinct_names(size: int) -> str:
    """About `size` bytes of different place names from the gazetteer (a pasted gazetteer or index page),
    biggest places first: every name is a new one to look up and resolve."""
    parts: list[str] = []
    total = 0
    for name in _gazetteer_cities():
        if total >= size:
            break
        parts.append(name)
        total += len(name) + 2
    return ", ".join(parts)[:size].rstrip(", ") + "\n"


SHAPES = {
    "prose, one line": lambda n: prose(n, one_line=True),
    "prose, one line, no sentence end": lambda n: prose(n, one_line=True, sentence_ends=False),
    "prose, many lines": lambda n: prose(n, one_line=False),
    "names, one line": lambda n: names(n, one_line=True),
    "names, many lines": lambda n: names(n, one_line=False),
    "names, all different, one line": distinct_names,
}


def article_text(body: str) -> str:
    return "date 2024-03-04 LYON, FRANCE - " + body


def measure(path: Path, env: dict[str, str], timeout: float = TIMEOUT) -> tuple[float | None, float, float, int]:
    """(wall seconds or None on timeout, CPU seconds, peak RSS in MB, events found) of `clashmap extract`
    on one file. CPU time is what the reading costs whatever else the machine runs; wall time is what
    a user waits, and grows with the machine's load."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        child = subprocess.Popen([sys.executable, "-m", "clashmap", "extract", "--format", "json", str(path)],
                                 cwd=ROOT, env=env, stdout=out, stderr=subprocess.DEVNULL)
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                child.kill()
                _, status, usage = os.wait4(child.pid, 0)
                return None, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, 0
            time.sleep(0.05)
        elapsed = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        events = sum(len(json.loads(line).get("events", [])) for line in out if line.strip())
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, events


def _startup(env: dict[str, str], folder: Path) -> tuple[float, float]:
    """Wall and CPU seconds of a run on an empty-bodied article: interpreter, model and gazetteer loading."""
    path = folder / "empty.txt"
    path.write_text(article_text("Nothing happened.\n"), encoding="utf-8")
    seconds, cpu, _, _ = measure(path, env)
    return seconds or 0.0, cpu


def run(sizes: tuple[int, ...] = SIZES, shapes: dict | None = None, timeout: float | None = None) -> None:
    shapes = shapes or SHAPES
    timeout = timeout or float(os.environ.get("CLASHMAP_BENCH_TIMEOUT", TIMEOUT))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        env = {**os.environ, "CLASHMAP_DB": f"sqlite:///{folder / 'bench.sqlite'}",
               "CLASHMAP_MAX_ARTICLE_BYTES": str(100_000_000), "CLASHMAP_GEOCODER": "offline"}
        base_wall, base = _startup(env, folder)
        # the long-text mode loads no spaCy model: its own start-up (the empty article read in that mode)
        long_wall, long_base = _startup({**env, "CLASHMAP_LONG_TEXT_BYTES": "1"}, folder)
        print(f"start-up (an empty article): {base_wall:.1f} s wall, {base:.1f} s CPU; in the long-text mode "
              f"{long_wall:.1f} s wall, {long_base:.1f} s CPU; the figures below include it, the ratios do not")
        print("each cell: wall seconds / CPU seconds (the child and its worker processes) / peak RSS of the largest")
        header = f"{'input':<34}" + "".join(f"{_size(n):>24}" for n in sizes) + f"{'1MB/100KB':>11}{'1MB/300KB':>11}  targets"
        print(header)
        print("-" * len(header))
        for label, make in shapes.items():
            cells, times, walls = [], {}, {}
            for n in sizes:
                path = folder / "input.txt"
                path.write_text(article_text(make(n)), encoding="utf-8")
                seconds, cpu, rss, _events = measure(path, env, timeout)
                times[n] = None if seconds is None else cpu
                walls[n] = seconds
                wall = '>' + format(timeout, '.0f') if seconds is None else format(seconds, '.1f')
                cells.append(f"{wall} / {cpu:.1f} s {rss:5.0f} MB")
            ratio_txt, long_txt, verdict = "", "", []
            if 300_000 in times and times.get(300_000) is not None and times.get(1_000_000) is not None:
                long_ratio = (times[1_000_000] - long_base) / max(times[300_000] - long_base, 0.05)
                long_txt = f"{long_ratio:.1f}"
                verdict.append("long mode linear ok" if long_ratio <= LONG_RATIO else
                               f"long mode NOT linear (> {LONG_RATIO:.0f})")
            if 100_000 in times and 1_000_000 in times:
                big, mid = times[1_000_000], times[100_000]
                if big is not None and mid is not None:
                    # the reading's own time: start-up (the same for every size) would flatter the ratio
                    ratio = (big - base) / max(mid - base, 0.05)
                    ratio_txt = f"{ratio:.1f}"
                    verdict.append("linear ok" if ratio <= LINEAR_RATIO else f"NOT linear (> {LINEAR_RATIO:.0f})")
                # issue 10's figure is the time the editor waits (wall, one article, the reading's worker processes
                # on the other core); CPU time (all its processes) is what the machine's load does not change
                wall = walls.get(1_000_000)
                verdict.append("1 MB < 10 s wall ok" if wall is not None and wall < ONE_MB_SECONDS else "1 MB >= 10 s wall")
                verdict.append("< 10 s CPU ok" if big is not None and big < ONE_MB_SECONDS else ">= 10 s CPU")
            print(f"{label:<34}" + "".join(f"{c:>24}" for c in cells) + f"{ratio_txt:>11}{long_txt:>11}  "
                  f"{', '.join(verdict)}",
                  flush=True)
        print(f"300 KB and 1 MB are over long_text_bytes ({_long_limit():,} bytes): read in the long-text mode "
              "(clashmap.long_text), 10 KB and 100 KB in full; so 1MB/100KB compares two readings, 1MB/300KB one")
        print(f"targets: CPU reading time (less start-up) at 1 MB / at 100 KB <= {LINEAR_RATIO:.0f} (linear), at 1 MB / at "
              f"300 KB <= {LONG_RATIO:.0f}; 1 MB under "
              f"{ONE_MB_SECONDS:.0f} s wall (issue 10: what the editor waits), CPU shown beside it; memory is the child's peak RSS; {os.cpu_count()} CPUs, load "
              f"{os.getloadavg()[0]:.1f} at the end (other work on the machine slows every figure)")
        joined(env, folder)
    gold_quality()


def _long_limit() -> int:
    from clashmap.settings import get_settings

    return get_settings().long_text_bytes


JOINED_CHARS = 300_000  # real articles joined into one text of about this size (above it: the next article is left out)


def _readings(files: list[Path], env: dict[str, str]) -> tuple[list[dict], float]:
    """`clashmap extract --format json` over `files` in one process: its readings and CPU seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run([sys.executable, "-m", "clashmap", "extract", "--format", "json", *map(str, files)],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    readings = [json.loads(line) for line in done.stdout.split("\n") if line.startswith("{")]
    return readings, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def joined(env: dict[str, str], folder: Path, limit: int = JOINED_CHARS) -> None:
    """What a long text of real articles is read as, against its articles read one by one: LGL's first articles
    (../shared/corpora, read in place; left out when absent) up to `limit` characters, joined by blank lines.
    Counted: events as (type, place) and places as (words, GeoNames id), found both ways or one way only. The
    baseline any cheaper reading of long texts is to be measured against."""
    from collections import Counter

    from bench.geoparse_corpora import corpora_available, read_lgl

    if not corpora_available():
        print("joined articles: left out (../shared/corpora is absent)")
        return
    texts, size = [], 0
    for doc in read_lgl():
        if size + len(doc.text) > limit:
            break
        texts.append(doc.text)
        size += len(doc.text)
    files = []
    for i, text in enumerate(texts):
        files.append(folder / f"joined-{i:04d}.txt")
        files[-1].write_text(text, encoding="utf-8")
    whole = folder / "joined.txt"
    whole.write_text("\n\n".join(t.strip() for t in texts) + "\n", encoding="utf-8")
    apart, apart_cpu = _readings(files, env)
    together, together_cpu = _readings([whole], env)  # over long_text_bytes: the long-text mode
    in_full, in_full_cpu = _readings([whole], {**env, "CLASHMAP_LONG_TEXT_BYTES": "0"})  # the full reading

    def events(readings):
        return Counter((e["event_type"], e["place"]["name"] if e["place"] else None) for r in readings
                       for e in r["events"])

    def places(readings):
        return Counter((p["text"], p["place"]["geonameid"] if p["place"] else None) for r in readings
                       for p in r["places"])

    mode = "long-text mode" if together and together[0].get("read_as") else "full reading"
    print(f"LGL's first {len(texts)} articles ({size:,} characters): one by one {apart_cpu:.1f} s CPU, joined into "
          f"one text in the {mode} {together_cpu:.1f} s CPU, joined and read in full {in_full_cpu:.1f} s CPU")
    for label, count in (("events (type, place)", events), ("places (words, GeoNames id)", places)):
        one = count(apart)
        for how, readings in ((mode, together), ("full reading", in_full)):
            other = count(readings)
            print(f"  {label}: one by one {sum(one.values())}, joined ({how}) {sum(other.values())}; found both ways "
                  f"{sum((one & other).values())}, only one by one {sum((one - other).values())}, only joined "
                  f"{sum((other - one).values())}")


def gold_quality() -> None:
    """What the long-text mode loses on real-size articles: the 54 gold articles (bench/events_gold) read in full
    and forced through the long-text reading (`clashmap.long_text.read_long`, one process): event F1 by the gold
    (bench_events' rule: same type, <= 50 km, dates +-1 day), per half, and the full reading's places (by span)
    the long reading finds within 50 km of the same place."""
    from dataclasses import replace
    from datetime import date

    from articles.reader import read_file
    from bench.bench_events import HALVES, MAX_KM, _table, half_of, km, load_gold, score_article
    from clashmap.long_text import read_long
    from clashmap.pipeline import Pipeline
    from store.db import close_stores, open_store

    pairs = load_gold()
    with tempfile.TemporaryDirectory() as tmp:
        pipeline = Pipeline(open_store(f"sqlite:///{tmp}/gold.sqlite"), corrections={})
        scored: dict[str, list] = {"full": [], "long": []}
        places = {"full": 0, "long": 0, "near": 0}
        seconds = {"full": 0.0, "long": 0.0}
        pipeline.read(read_file(pairs[0][0])[0])  # the model and the gazetteer loaded outside the timing
        for path, gold in pairs:
            article = read_file(path)[0]
            if article.published is None and gold.get("published"):
                article = replace(article, published=date.fromisoformat(gold["published"]))
            started = time.process_time()
            full = pipeline.read_as_is(article)
            seconds["full"] += time.process_time() - started
            started = time.process_time()
            long = read_long(pipeline, article)
            seconds["long"] += time.process_time() - started
            for mode, reading in (("full", full), ("long", long)):
                scored[mode].append(score_article(path.stem, gold["events"], reading.events))
            found = {(r.toponym.start, r.toponym.end): r.place for r in long.mentions if r.place}
            for r in full.mentions:
                if r.place is None:
                    continue
                places["full"] += 1
                other = found.get((r.toponym.start, r.toponym.end))
                if other is not None:
                    places["long"] += 1
                    places["near"] += km(r.place.lat, r.place.lon, other.lat, other.lon) <= MAX_KM
        close_stores()

    def f1(details) -> str:
        tp, fp, fn, _p, _r, f = _table(details)["overall"]
        return f"{f:.3f} ({tp} found, {fp} false, {fn} missed)"

    print(f"long-text mode forced on the {len(pairs)} gold articles (CPU {seconds['full']:.1f} s full, "
          f"{seconds['long']:.1f} s long):")
    for label, pick in (("all", lambda s: True), *((h, lambda s, h=h: half_of(s.name) == h) for h in HALVES)):
        print(f"  event F1, {label}: full {f1([s for s in scored['full'] if pick(s)])}, "
              f"long {f1([s for s in scored['long'] if pick(s)])}")
    share = places["near"] / places["full"] if places["full"] else 0.0
    print(f"  places of the full reading: {places['full']}; found by the long reading {places['long']}, "
          f"within {MAX_KM:.0f} km of the full reading's place {places['near']} ({share:.1%})")


def _size(n: int) -> str:
    return f"{n // 1_000_000} MB" if n >= 1_000_000 else f"{n // 1000} KB"


if __name__ == "__main__":
    run()
