"""Snapshot of what `clashmap extract --format json` prints over LGL, GeoWebNews (../shared/corpora, read in
place), the 54 gold articles (bench/events_gold) and the sample articles (data/articles), one JSON file per
corpus, so a speed change can be shown to leave every output as it was:

    python -m bench.extract_snapshot /tmp/before      # on the old code
    python -m bench.extract_snapshot /tmp/after       # on the new code
    diff -r /tmp/before /tmp/after                    # nothing, or differences to explain

Each corpus runs in one `clashmap extract` process with a fresh store, as `bench geoparse` does; CPU seconds
of each run are printed (not written to the snapshot).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _texts() -> dict[str, list[tuple[str, str]]]:
    """corpus name -> [(file name, text)]; corpora absent from ../shared are left out."""
    from bench.geoparse_corpora import corpora_available, read_geowebnews, read_lgl

    out: dict[str, list[tuple[str, str]]] = {}
    if corpora_available():
        out["lgl"] = [(f"{i:04d}.txt", d.text) for i, d in enumerate(read_lgl())]
        out["geowebnews"] = [(f"{i:04d}.txt", d.text) for i, d in enumerate(read_geowebnews())]
    out["events_gold"] = [(p.name, p.read_text(encoding="utf-8"))
                          for p in sorted((ROOT / "bench" / "events_gold").glob("*.txt"))]
    out["samples"] = [(p.name, p.read_text(encoding="utf-8")) for p in sorted((ROOT / "data" / "articles").iterdir())
                      if p.is_file()]
    return out


def snapshot(target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for name, docs in _texts().items():
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            files = []
            for file_name, text in docs:
                path = folder / file_name
                path.write_text(text, encoding="utf-8")
                files.append(path.name)
            env = dict(os.environ, CLASHMAP_DB=f"sqlite:///{folder / 'store.sqlite'}", CLASHMAP_GEOCODER="offline")
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            proc = subprocess.run([sys.executable, "-m", "clashmap", "extract", "--format", "json", *files],
                                  cwd=folder, env=env, capture_output=True, text=True)
            wall = time.perf_counter() - started
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
            if proc.returncode != 0:
                raise SystemExit(f"{name}: clashmap extract failed ({proc.returncode}): {proc.stderr[-2000:]}")
            readings = [json.loads(line) for line in proc.stdout.split("\n") if line.startswith("{")]  # not splitlines: a text's U+2028 is no end of a line
            (target / f"{name}.json").write_text(json.dumps(readings, indent=1, sort_keys=True, ensure_ascii=False)
                                                 + "\n", encoding="utf-8")
            print(f"{name}: {len(docs)} files, {len(readings)} readings, {wall:.1f} s wall, {cpu:.1f} s CPU "
                  f"({len(docs) / wall:.1f} docs/s wall)", flush=True)


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(prog="python -m bench.extract_snapshot", description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path, help="where to write one JSON file per corpus (made if missing)")
    snapshot(parser.parse_args().folder)
