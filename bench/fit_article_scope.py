"""Fit the article scope (events/scope.py) on the tuning halves: `python -m bench.fit_article_scope`.

The corpora are read as for the event gate (`bench.fit_event_gate.collect`, gate and scope off); every article
that gives at least one candidate event is one row, with the article's features (events/scope.py) and a label:
in ACLED's scope (1) or not (0). Only such articles matter: the scope can only drop the events of an article.
- the 54 articles' odd (tuning) half, UCDP tuning headlines, world reports (batches 1 and 2): 1 (all report
  political violence);
- GeoWebNews tuning: 1 when the article has a gold event (bench/gwn_events.csv), else 0;
- LGL tuning (US local news): 0;
- general news, batches 1 to 3 (tests/events/general_news.csv): 1 for a row coded with an event, else 0.
  Batch 4 is the check set (brief G17) and is never read here.
Held-out halves are not read. Each corpus weighs the same (balanced within the positives and the negatives).
The threshold is the highest that keeps every training positive, times MARGIN. The check that the scope is
general: leave one corpus out, fit on the rest, and count that corpus's positives lost and negatives dropped.

`--rows FILE` keeps the collected rows (reading takes minutes), `--from-rows FILE` fits from them.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from events.gate import Gate
from events.scope import FEATURES, SCOPE_JSON

# Q16: the committed file is enforced. With 7 features the fit kept every training positive only under 0.068 and
# dropped none of the 14 tuning articles out of scope (the lowest positive: a long GeoWebNews tuning article whose
# one true event, a protest march, is told in one sentence under a lead of another beat); with `crowd_agent` (a
# protest or riot) it keeps every training positive and drops 4 of LGL tuning's 9 (two of them real Georgian
# arrests: LGL's labels are loose). NOT_ENFORCED is written only when the file is refitted without --enforce.
NOT_ENFORCED = ("written without --enforce: the article is scored and --explain says what the scope would do; "
                "see events/scope.py and the README (scope) for the guards it must hold before it is enforced.")
C = 1.0  # the regression's regularisation
MARGIN = 0.9  # the threshold is the lowest training positive's score times this (a margin for unseen text)
CORPORA = ("own", "gwn", "lgl", "ucdp", "general", "world")


def articles(rows: list[dict]) -> list[dict]:
    """One row per tuning article with a candidate event: corpus, article, features, label."""
    gold_gwn = {r["article"] for r in rows if r["kind"] == "article" and r["corpus"] == "gwn" and r.get("fn")}
    gold_gwn |= {r["article"] for r in rows if r["kind"] == "event" and r["corpus"] == "gwn" and r["label"] == 1}
    expects = {r["article"]: r.get("expects") for r in rows if r["kind"] == "article" and r["corpus"] == "general"}
    out: dict[tuple[str, str], dict] = {}
    for r in rows:
        if r["kind"] != "event" or r["half"] != "tuning" or (r["corpus"], r["article"]) in out:
            continue
        corpus = r["corpus"]
        label = {"own": 1, "ucdp": 1, "world": 1, "lgl": 0}.get(corpus)
        if corpus == "gwn":
            label = int(r["article"] in gold_gwn)
        elif corpus == "general":
            label = int(bool(expects.get(r["article"])))
        out[(corpus, r["article"])] = {"corpus": corpus, "article": r["article"], "x": r.get("scope") or {},
                                       "label": label}
    return list(out.values())


def _vector(x: dict) -> list[float]:
    return [float(x.get(k, 0.0)) for k in FEATURES]


def fit(docs: list[dict]) -> dict:
    from sklearn.linear_model import LogisticRegression

    per = Counter((d["corpus"], d["label"]) for d in docs)
    n_corpora = {lab: len({c for (c, lb) in per if lb == lab}) for lab in (0, 1)}
    # each side weighs len(docs) / 2 in all, each corpus the same within its side
    weight = [len(docs) / 2 / (n_corpora[d["label"]] * per[(d["corpus"], d["label"])]) for d in docs]
    model = LogisticRegression(C=C, max_iter=2000)
    model.fit([_vector(d["x"]) for d in docs], [d["label"] for d in docs], sample_weight=weight)
    weights = {k: round(float(w), 4) for k, w in zip(FEATURES, model.coef_[0]) if abs(w) > 1e-6}
    bias = round(float(model.intercept_[0]), 4)
    scored = {"weights": weights, "bias": bias, "threshold": 0.0}
    low = min(score(scored, d["x"]) for d in docs if d["label"] == 1)
    scored["threshold"] = round(low * MARGIN, 4)
    return scored


def score(model: dict, x: dict) -> float:
    """The article's score under a fitted (or committed) model, as events/scope.py computes it."""
    return Gate(model["weights"], model["bias"], model["threshold"]).score(x)


def measure(docs: list[dict], model: dict) -> dict[str, str]:
    """Per corpus: in-scope articles kept / all, out-of-scope articles dropped / all."""
    out = {}
    for corpus in sorted({d["corpus"] for d in docs}):
        mine = [d for d in docs if d["corpus"] == corpus]
        pos = [d for d in mine if d["label"] == 1]
        neg = [d for d in mine if d["label"] == 0]
        kept = sum(score(model, d["x"]) >= model["threshold"] for d in pos)
        dropped = sum(score(model, d["x"]) < model["threshold"] for d in neg)
        out[corpus] = f"in scope kept {kept}/{len(pos)}, out of scope dropped {dropped}/{len(neg)}"
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.fit_article_scope", description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rows", type=Path, help="write the collected rows to this JSON file")
    parser.add_argument("--from-rows", type=Path, help="fit from rows collected before instead of reading the corpora")
    parser.add_argument("--out", type=Path, default=SCOPE_JSON, help=f"the weights file (default {SCOPE_JSON})")
    parser.add_argument("--dry-run", action="store_true", help="print the fit and checks, write no file")
    parser.add_argument("--enforce", action="store_true", help="write enforce: true (judged articles lose events)")
    args = parser.parse_args(argv)
    if args.from_rows:
        rows = json.loads(args.from_rows.read_text(encoding="utf-8"))
    else:
        from bench.fit_event_gate import collect

        rows = collect()
        if args.rows:
            args.rows.write_text(json.dumps(rows), encoding="utf-8")
    docs = articles(rows)
    print(f"tuning articles with a candidate event: {len(docs)}; by corpus and label: "
          f"{dict(sorted(Counter((d['corpus'], d['label']) for d in docs).items()))}")
    model = fit(docs)
    print(f"fitted on all: {model}")
    for corpus, line in measure(docs, model).items():
        print(f"  {corpus:<8} {line}")
    checks = {}
    for out in CORPORA:
        rest = [d for d in docs if d["corpus"] != out]
        mine = [d for d in docs if d["corpus"] == out]
        if not mine or len({d["label"] for d in rest}) < 2:
            continue
        checks[out] = measure(mine, fit(rest))[out]
        print(f"left out {out:<8} {checks[out]}")
    if args.dry_run:
        return 0
    payload = {"note": "the article scope's weights (events/scope.py), fitted by bench/fit_article_scope.py on the "
                       "tuning halves; an article scoring under the threshold loses all its events. Refit, do not "
                       "edit by hand.",
               "enforce": bool(args.enforce), **({} if args.enforce else {"why_not_enforced": NOT_ENFORCED}),
               **model,
               "trained_on": dict(sorted((f"{c} {'in' if lab else 'out of'} scope", n)
                                         for (c, lab), n in Counter((d["corpus"], d["label"]) for d in docs).items())),
               "fitted_on_all": measure(docs, model), "left_one_corpus_out": checks}
    args.out.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
