"""Run every benchmark module (`bench/bench_*.py`), each printing its own table.

`python -m bench` runs them all; `python -m bench geoparse events` runs the named ones.
A benchmark that fails is reported and the others still run.
`python -m bench.bench_ucdp --errors tuning` lists the UCDP headlines' tuning-half misses (never read the held-out's).
"""

from __future__ import annotations

import importlib
import sys
import time
import traceback
from pathlib import Path


def main(names: list[str]) -> int:
    available = sorted(p.stem.removeprefix("bench_") for p in Path(__file__).parent.glob("bench_*.py"))
    chosen = names or available
    failures = 0
    for name in chosen:
        if name not in available:
            print(f"bench: no benchmark named {name!r} (have: {', '.join(available)})", file=sys.stderr)
            failures += 1
            continue
        print(f"\n=== bench {name} ===", flush=True)
        started = time.perf_counter()
        try:
            importlib.import_module(f"bench.bench_{name}").run()
        except Exception:  # keep going: one broken benchmark must not hide the others' figures
            traceback.print_exc()
            failures += 1
        print(f"(bench {name} took {time.perf_counter() - started:.1f} s)", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
