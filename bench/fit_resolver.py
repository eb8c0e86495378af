"""Fit the place resolver's feature weights on one corpus: `python -m bench.fit_resolver --train LGL|GWN`.

For every name the name finder found on a gold toponym with coordinates, the candidates within 161 km
of the gold point are right and the others wrong; a name with no right or no wrong candidate teaches
nothing. The weights are a pairwise ranking (a logistic regression without intercept on the
difference right minus wrong of the feature vectors, each name weighing one in all), so only their
ratios matter; they are scaled to log10 population = 1 to read like the old hand rules. Features that
depend on the first readings of the other names (near, shared) move with the weights, so the fit is
repeated on the readings the previous weights give (`--rounds`). Only the HARD best-scored wrong candidates
of each name are taught, and the hand rules' weights (bench/hand_weights.json) are the prior: their score
is one column nearly free to keep, every departure from them pays the regularisation (C, not tuned).

scikit-learn is needed here only (the `bench` extra); the product reads the JSON file it writes.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

from bench.geoparse_resolve import gold_of, prepare, resolve_docs
from bench.geoparse_score import km
from geo.features import DEFAULT_WEIGHTS, FEATURES, dot, load_weights

C = 0.1  # the regression's regularisation: departures from the hand rules must pay for themselves
# with --select-c, chosen by the training corpus's own held-out half (one-standard-error rule, `choose_c`);
# the grid reaches far below the old edge (0.01, which LGL's held-out half had picked): C -> 0 is the hand rules
C_CHOICES = (0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 1.0)
PRIOR_SCALE = 10.0
HAND_WEIGHTS = Path(__file__).resolve().parent / "hand_weights.json"  # the rules' weights before any fit
HARD = 3  # wrong candidates per name taught against the right one: the best-scored ones
# signals the corpora cannot teach (no article in them has a URL): set by hand, said so in the file
HAND = {"outlet": 0.5}


def training_pairs(prepared, collected, weights):
    """(x, y, sample_weight) rows of the pairwise ranking problem: the nearest right candidate against the
    wrong ones that compete with it (the HARD best-scored under the current weights; easy villages far
    down the list would teach nothing about the top of the ranking)."""
    from geo.features import dot, load_weights

    weights = weights or load_weights()
    from geo.resolve import _key  # noqa: PLC2701 - the same key the resolver collected under

    xs, ys, ws = [], [], []
    for p, names in zip(prepared, collected):
        spans = {}
        for t in p.toponyms:
            spans.setdefault(_key(t), []).append(t)
        for key, options, vectors in names:
            for t in spans.get(key, ()):
                g = gold_of(p, t.start, t.end)
                if g is None:
                    continue
                dist = [km(g.lat, g.lon, c.lat, c.lon) for c in options]
                right = [i for i, d in enumerate(dist) if d < 161]
                wrong = [i for i, d in enumerate(dist) if d >= 161]
                if not right or not wrong:
                    continue
                best = min(right, key=dist.__getitem__)
                wrong = sorted(wrong, key=lambda i: -dot(weights, vectors[i]))[:HARD]
                for i in wrong:
                    diff = [a - b for a, b in zip(vectors[best], vectors[i])]
                    xs += [diff, [-v for v in diff]]
                    ys += [1, 0]
                    ws += [1.0 / len(wrong)] * 2
    return xs, ys, ws


def half(prepared, parity: int):
    """The corpus's docs whose sha256(id) first byte has this parity (0: tuning, 1: held-out)."""
    from bench.geoparse_corpora import half_of

    return [p for p in prepared if half_of(p.doc.id) == ("tuning", "held-out")[parity]]


def choose_c(found: dict[float, tuple[float, int]]) -> float:
    """The one-standard-error rule: the strongest regularisation (smallest C) whose held-out acc@161 is within
    one standard error of the best C's. `found` maps C to (acc@161, names scored). The held-out halves hold a
    few thousand names clustered in a few hundred articles (one article's "Dublin" is 17 names), so C values a
    few names apart are a tie; on a tie the weights nearer the prior are the ones that carry to other copy
    (fitted on LGL by its best held-out C, 0.01, GeoWebNews lost 1.2 points)."""
    best = max(found, key=lambda c: (found[c][0], -c))
    acc, n = found[best]
    se = math.sqrt(acc * (1 - acc) / n) if n else 0.0
    return min(c for c, (a, _) in found.items() if a >= acc - se)


def select_c(corpus: str, rounds: int, frozen: tuple[str, ...] = ()) -> tuple[float, dict[float, tuple[float, int]]]:
    """The regularisation chosen inside the training corpus: fit on its tuning half, measure acc@161 on
    its held-out half, for each of C_CHOICES (the other corpus is never looked at); `choose_c` picks."""
    from bench.geoparse_resolve import score

    prepared = prepare(corpus)
    tuning, held = half(prepared, 0), half(prepared, 1)
    found = {}
    for c in C_CHOICES:
        weights, _ = fit_on(tuning, rounds, c, frozen=frozen)
        s = score(held, resolve_docs(held, weights))
        found[c] = (s.acc161, len(s.errors_km))
    return choose_c(found), found


def fit(corpus: str, rounds: int = 2, weights=None, c: float | None = None,
        frozen: tuple[str, ...] = ()) -> tuple[tuple[float, ...], int]:
    return fit_on(prepare(corpus), rounds, c or C, weights, frozen)


def fit_on(prepared, rounds: int = 2, c: float = 0.1, weights=None,
           frozen: tuple[str, ...] = ()) -> tuple[tuple[float, ...], int]:
    """`frozen` features keep the hand rules' weight (no departure column of their own): a feature that means
    one thing in one corpus and another in the other ("New York" the state in LGL, the city in GeoWebNews)
    cannot be taught by either."""
    from sklearn.linear_model import LogisticRegression

    n = 0
    for _ in range(rounds):
        collected: list = []
        resolve_docs(prepared, weights, collect=collected)
        xs, ys, ws = training_pairs(prepared, collected, weights)
        n = len(xs) // 2
        # the hand rules are the prior: their score is one more column, scaled up so that keeping it costs
        # little, while every departure from it (the other columns) pays the regularisation
        hand = load_weights(HAND_WEIGHTS)
        free = [i for i, f in enumerate(FEATURES) if f not in frozen]
        xs = [[PRIOR_SCALE * dot(hand, x), *(x[i] for i in free)] for x in xs]
        model = LogisticRegression(fit_intercept=False, C=c, max_iter=2000)
        model.fit(xs, ys, sample_weight=ws)
        a, *fitted = model.coef_[0]
        dev = dict(zip(free, fitted))
        coef = [PRIOR_SCALE * a * h + dev.get(i, 0.0) for i, h in enumerate(hand)]
        scale = coef[FEATURES.index("log_pop")] or 1.0
        weights = tuple(HAND.get(f, round(c / scale, 3)) for f, c in zip(FEATURES, coef))
    return weights, n


def write(weights, corpus: str, pairs: int, path: Path, c: float = C) -> None:
    data = {"note": "pairwise logistic ranking of the resolver's features (bench/fit_resolver.py), "
                    "scaled to log_pop = 1; outlet is not in the corpora (no URLs): set by hand",
            "fitted_on": corpus, "pairs": pairs, "C": c,
            "weights": dict(zip(FEATURES, weights))}
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.fit_resolver", description=__doc__.split("\n")[0])
    ap.add_argument("--train", choices=["LGL", "GWN"], required=True)
    ap.add_argument("--out", type=Path, default=DEFAULT_WEIGHTS)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--fixed-c", action="store_false", dest="select_c",
                    help=f"use C={C} instead of choosing the regularisation on the training corpus's held-out "
                         "half (sha256 parity of the doc id)")
    ap.add_argument("--freeze", default="", metavar="FEATURE,...",
                    help="features kept at the hand rules' weight (bench/hand_weights.json), e.g. a feature that "
                         "means different things in the two corpora")
    args = ap.parse_args(argv)
    frozen = tuple(f.strip() for f in args.freeze.split(",") if f.strip())
    unknown = [f for f in frozen if f not in FEATURES]
    if unknown:
        print(f"fit_resolver: --freeze: unknown feature {', '.join(unknown)} (known: {', '.join(FEATURES)})",
              file=sys.stderr)
        return 2
    from bench.geoparse_corpora import corpora_available

    try:
        import sklearn  # noqa: F401
    except ImportError:
        print("fit_resolver: scikit-learn is not installed; it comes with the bench extra: "
              "pip install -e '.[bench]'", file=sys.stderr)
        return 1
    if not corpora_available():
        print("fit_resolver: corpora not found (../shared/corpora)", file=sys.stderr)
        return 1
    c = C
    if args.select_c:
        c, found = select_c(args.train, args.rounds, frozen)
        print("fit_resolver: held-out acc@161 by C: " + ", ".join(f"{k}: {v:.4f}" for k, (v, _) in found.items())
              + f"; chosen {c} (the smallest within one standard error of the best)")
    weights, pairs = fit(args.train, args.rounds, c=c, frozen=frozen)
    write(weights, args.train, pairs, args.out, c)
    print(f"fit_resolver: {pairs} ranking pairs from {args.train}; wrote {args.out}")
    for f, w in zip(FEATURES, weights):
        print(f"  {f:<15} {w:+.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
