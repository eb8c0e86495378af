"""Scoring for geoparsing: span matching, recognition P/R/F1 and the distance metrics of Gritta et al.

Matching: a predicted span matches a gold span when they overlap (exact matches count too), one to
one, preferring the largest overlap. Recognition counts every predicted place mention, resolved or not.
Resolution is scored on matched gold spans that have coordinates; a matched mention left unresolved
counts as the largest possible error (20,039 km, half the Earth's circumference).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

MAX_KM = 20039.0


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    errors_km: list[float] = field(default_factory=list)

    def add_doc(self, gold: list[tuple[int, int, float | None, float | None]],
                pred: list[tuple[int, int, float | None, float | None]],
                ignore: list[tuple[int, int]] = ()) -> None:
        """Score one document; predictions overlapping an `ignore` span (gold left out of a view) are dropped."""
        pred = [p for p in pred if not any(min(e, p[1]) - max(s, p[0]) > 0 for s, e in ignore)]
        pairs = []
        for gi, (gs, ge, *_rest) in enumerate(gold):
            for pi, (ps, pe, *_r) in enumerate(pred):
                overlap = min(ge, pe) - max(gs, ps)
                if overlap > 0:
                    pairs.append((-overlap, gi, pi))
        used_g, used_p = set(), set()
        for _, gi, pi in sorted(pairs):
            if gi in used_g or pi in used_p:
                continue
            used_g.add(gi)
            used_p.add(pi)
            glat, glon = gold[gi][2], gold[gi][3]
            plat, plon = pred[pi][2], pred[pi][3]
            if glat is not None:
                self.errors_km.append(MAX_KM if plat is None else km(glat, glon, plat, plon))
        self.tp += len(used_g)
        self.fn += len(gold) - len(used_g)
        self.fp += len(pred) - len(used_p)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def acc161(self) -> float:
        if not self.errors_km:
            return 0.0
        return sum(math.log1p(e) < math.log(161) for e in self.errors_km) / len(self.errors_km)

    @property
    def auc(self) -> float:
        """Area under the curve of sorted ln(1+km) errors, scaled by ln(20039); lower is better."""
        errs = sorted(math.log1p(e) for e in self.errors_km)
        if len(errs) < 2:
            return 0.0
        area = sum((a + b) / 2 for a, b in zip(errs, errs[1:]))
        return area / (math.log(MAX_KM) * (len(errs) - 1))

    @property
    def mean_km(self) -> float:
        return sum(self.errors_km) / len(self.errors_km) if self.errors_km else 0.0
