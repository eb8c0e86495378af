"""Geoparsing benchmark: the real `clashmap extract` command over LGL and GeoWebNews, end to end.

Each corpus's articles are written to a temporary folder as plain text files and given to one
`python -m clashmap extract --format json` process with a fresh store (so the geocode cache starts
empty). Its JSON lines are scored against the gold spans (overlap matching, see geoparse_score), and
the same process is timed start-up included, with its peak resident memory.

A last line scores place resolution on the events gold set's event places (acc@50km, see
geoparse_events), the places the event extraction depends on.

Tuning honesty: the halves are a fixed hash rule, as in bench_ucdp: a document is in the tuning half when
the first byte of sha256(its id, UTF-8) is even, held-out when odd (`bench.geoparse_corpora.half_of`; the
same rule bench.fit_resolver chooses its regularisation by). Read errors of the tuning half only. Before
this rule the halves were the documents' order (LGL 0-293, GeoWebNews 0-99), so the first rules were
tuned on a different half than today's. Neither second half is unseen any more:
a country named beside its own evidence ('China' in a WASHINGTON story, doc 178) and the White House
(doc 118) were fixed from errors seen there, and the story-level rules of geo.resolve (story country and
town, far-fetched namesakes, buildings, British counties, the 100-candidate limit) were developed reading
the errors of the whole GeoWebNews corpus and the changes they caused over all of LGL. Treat the held-out
figures as a check against rules that only fit one half, not as figures for unseen copy.
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

from bench.geoparse_corpora import (CORPORA, Doc, corpora_available, half_of, read_geowebnews, read_lgl,
                                    read_line_predictions)
from bench.geoparse_score import Score

ROOT = Path(__file__).resolve().parent.parent

TARGETS = {"LGL": (0.80, 0.88), "GeoWebNews": (0.82, 0.95)}  # issue 12
REFERENCES = {
    "LGL": "Mordecai 3 acc 0.827; Edinburgh acc 0.76; population baseline acc 0.70; naive spaCy+population F1 0.69 acc 0.32",
    "GeoWebNews": "Mordecai 3 acc 0.941; Edinburgh P 0.81 R 0.56 acc 0.92 (its output scored above with our scorer)",
}


def run_extract(docs: list[Doc], workdir: Path) -> tuple[list[dict], float, float]:
    """Run the CLI over the docs; return its JSON objects, wall seconds and the child's peak RSS in MB."""
    files = []
    for i, doc in enumerate(docs):
        path = workdir / f"{i:04d}.txt"
        path.write_text(doc.text, encoding="utf-8")
        files.append(str(path))
    env = dict(os.environ, CLASHMAP_DB=f"sqlite:///{workdir / 'bench-store.sqlite'}")
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "clashmap", "extract", "--format", "json", *files],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if proc.returncode != 0:
        raise RuntimeError(f"clashmap extract failed ({proc.returncode}): {proc.stderr[-2000:]}")
    readings = [json.loads(line) for line in proc.stdout.split("\n") if line.startswith("{")]
    if len(readings) != len(docs):
        raise RuntimeError(f"clashmap extract printed {len(readings)} readings for {len(docs)} files")
    # ru_maxrss is the largest child so far; report it only when this run raised it
    return readings, seconds, max(peak, before) / 1024.0


def predictions(reading: dict) -> list[tuple[int, int, float | None, float | None]]:
    out = []
    for p in reading["places"]:
        place = p.get("place")
        out.append((p["start"], p["end"], place["lat"] if place else None, place["lon"] if place else None))
    return out


def score_docs(docs: list[Doc], preds: list[list[tuple]], keep=None) -> Score:
    """Score all docs; with `keep`, only gold spans it accepts count and predictions on the others are ignored."""
    score = Score()
    for doc, pred in zip(docs, preds):
        kept = [g for g in doc.gold if keep is None or keep(g)]
        left_out = [(g.start, g.end) for g in doc.gold if keep is not None and not keep(g)]
        score.add_doc([(g.start, g.end, g.lat, g.lon) for g in kept], pred, left_out)
    return score


# GeoWebNews types read as "literal + metonymic" toponyms: the place itself or a place standing for its
# people or government. Modifiers ("Russian officials", "Gainesville Public Utilities") are left out.
LITERAL_METONYMIC = {"Literal", "Metonymic", "Mixed", "Coercion", "Embedded_Literal"}


def _not_demonym_form(demonyms: set[str]):
    """LGL has no types: leave out gold spans written as a demonym ("Georgian"), a view without them. LGL tags
    demonyms as toponyms of their country; clashmap emits an adjective demonym as a mention of its country
    (geo.demonym_places) but never a plural noun ("Georgians"), which GeoWebNews does not count as a toponym."""
    from geo.names import normalize_name

    def keep(g) -> bool:
        key = normalize_name(g.text)
        return key not in demonyms and key.rstrip("s") not in demonyms
    return keep


def cold_start_seconds() -> float:
    """A fresh interpreter opening the gazetteer and answering its first lookup."""
    code = ("import time; t = time.perf_counter(); from geo.gazetteer import Gazetteer; g = Gazetteer(); "
            "g.lookup('Shusha'); g.demonyms(); print(time.perf_counter() - t)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


def _row(name: str, s: Score, extra: str = "") -> str:
    return (f"| {name:<26} | {s.tp + s.fn:5d} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | "
            f"{s.acc161:.3f} | {s.auc:.3f} | {s.mean_km:7.0f} | {extra}")


def run() -> None:
    if not corpora_available():
        print(f"geoparse bench skipped: corpora not found under {CORPORA} (expects ../shared/corpora "
              "with lgl/lgl.xml and geowebnews/GWN.xml; set CLASHMAP_CORPORA to point elsewhere)")
        return
    corpora = {"LGL": read_lgl(), "GeoWebNews": read_geowebnews()}
    from geo.gazetteer import Gazetteer

    demonyms = set(Gazetteer().demonyms())
    print("Span matching: overlap, one to one. Gold: LGL all 5,088 spans (4,462 with coordinates); "
          "GeoWebNews the 2,601 toponyms with coordinates.")
    print("| corpus                     |  gold |   P   |   R   |  F1   | acc161 |  AUC  | mean km | notes")
    print("|----------------------------|-------|-------|-------|-------|--------|-------|---------|------")
    speed = {}
    with tempfile.TemporaryDirectory(prefix="clashmap-bench-") as tmp:
        for name, docs in corpora.items():
            workdir = Path(tmp) / name
            workdir.mkdir()
            readings, seconds, peak_mb = run_extract(docs, workdir)
            speed[name] = (len(docs), seconds, peak_mb)
            preds = [predictions(r) for r in readings]
            whole = score_docs(docs, preds)
            # the targets: LGL on all its spans, GeoWebNews on its literal + metonymic toponyms
            judged = score_docs(docs, preds, lambda g: g.kind in LITERAL_METONYMIC) if name == "GeoWebNews" else whole
            f1_target, acc_target = TARGETS[name]
            ok = "meets" if judged.f1 >= f1_target and judged.acc161 >= acc_target else "below"
            verdict = f"targets F1>={f1_target} acc>={acc_target}: {ok}"
            print(_row(f"{name} (all)", whole, verdict if name == "LGL" else ""))
            for half, label in (("tuning", "tuning half"), ("held-out", "held-out half")):
                kept = [(d, p) for d, p in zip(docs, preds) if half_of(d.id) == half]
                print(_row(f"{name} {label}", score_docs([d for d, _ in kept], [p for _, p in kept]),
                           f"{len(kept)} docs, sha256(id) parity"))
            if name == "GeoWebNews":
                print(_row("GWN literal+metonymic", judged, f"modifier types left out; {verdict}"))
            else:
                print(_row("LGL without demonym forms", score_docs(docs, preds, _not_demonym_form(demonyms)),
                           "'Georgian', 'Sudanese' left out"))
            if name == "GeoWebNews":
                edin_file = CORPORA / "geowebnews" / "gwn_edin.txt"
                if edin_file.exists():
                    edin = read_line_predictions(edin_file)
                    print(_row("Edinburgh on GWN", score_docs(docs, edin), "reference, same scorer"))
            print(f"|   reference points: {REFERENCES[name]}")
    print()
    for name, (n, seconds, peak_mb) in speed.items():
        print(f"{name}: `clashmap extract` over {n} articles in {seconds:.1f} s start-up included = "
              f"{n / seconds:.1f} docs/s (target 120 on 2 cores; Mordecai 2 ~10); peak RSS of the largest process {peak_mb:.0f} MB")
    load = os.getloadavg()
    print(f"machine: {os.cpu_count()} cores, load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} "
          "(docs/s drop when other work shares the cores)")
    print(f"gazetteer cold start (fresh interpreter, open + first lookup): {cold_start_seconds():.3f} s (target < 1 s)")
    print()
    cross_corpus()
    from bench.geoparse_events import evaluate, print_summary

    print_summary(evaluate())


if __name__ == "__main__":
    run()


WEIGHTS = {"product (data/resolver_weights.json)": None,
           "fitted on LGL": Path(__file__).resolve().parent / "weights_fitted_LGL.json",
           "fitted on GWN": Path(__file__).resolve().parent / "weights_fitted_GWN.json"}


def cross_corpus() -> None:
    """The resolver under each weights file, on both corpora (names found once, see geoparse_resolve):
    the issue's cross-corpus targets are GWN under LGL-fitted weights and LGL under GWN-fitted ones.
    Then which stage lost each gold name with coordinates, under the product's weights."""
    from bench.geoparse_resolve import prepare, resolve_docs, score, stage_table
    from geo.features import load_weights

    prepared = {"GWN": prepare("GWN"), "LGL": prepare("LGL")}
    keep = {"GWN": lambda g: g.kind in LITERAL_METONYMIC, "LGL": None}
    print("Cross-corpus (resolution only, in process; GWN literal+metonymic, LGL all spans):")
    print("| weights                               | GWN F1 | GWN acc161 | LGL F1 | LGL acc161 | targets")
    print("|---------------------------------------|--------|------------|--------|------------|--------")
    stages = {}
    for label, path in WEIGHTS.items():
        weights = load_weights(path) if path else None
        row = {}
        for corpus, docs in prepared.items():
            results = resolve_docs(docs, weights)
            row[corpus] = score(docs, results, keep[corpus])
            if path is None:
                stages[corpus] = stage_table(docs, results, keep[corpus])
        note = ""
        if label == "fitted on LGL":
            ok = row["GWN"].f1 >= 0.82 and row["GWN"].acc161 >= 0.95
            note = f"GWN >= 0.82 / 0.95: {'meets' if ok else 'below'}"
        elif label == "fitted on GWN":
            ok = row["LGL"].f1 >= 0.80 and row["LGL"].acc161 >= 0.88
            note = f"LGL >= 0.80 / 0.88: {'meets' if ok else 'below'}"
        print(f"| {label:<37} | {row['GWN'].f1:.3f}  | {row['GWN'].acc161:.3f}      | {row['LGL'].f1:.3f}  | "
              f"{row['LGL'].acc161:.3f}      | {note}")
    print("(F1 is the name finder's and the same under every weights file; acc161 is the resolver's)")
    print()
    print("Where gold names with coordinates were lost (product weights):")
    names = list(next(iter(stages.values())))
    print("| stage" + " " * 36 + "| " + " | ".join(f"{c:>5}" for c in stages))
    for n in names:
        print(f"| {n:<40} | " + " | ".join(f"{stages[c][n]:5d}" for c in stages))
