"""GeoWebNews articles as an event yardstick: the split, the gold file and its reader (issue 11, item 1).

The corpus (`../shared/corpora/geowebnews/GWN.xml`, read by `bench.geoparse_corpora.read_geowebnews`) is
read in place; nothing of its text is copied into the project. The gold events the team annotated live in
`bench/gwn_events.csv` and point into the corpus by article id and character offsets only.

The split, fixed before any article was read for annotation: an article is in the tuning half when the
first byte of sha256(article id, i.e. the `file` attribute of `<article>`, as UTF-8 text) is even, and in the
held-out half when it is odd (`half_of`). It is the rule of bench/bench_ucdp.py, applied to the article id.
DEVELOPERS: read only the tuning half's errors (`python -m bench.bench_events_real --errors tuning`).
"""

from __future__ import annotations

import hashlib

HALVES = ("tuning", "held-out")


def half_of(article_id: str) -> str:
    """Tuning when sha256(id)'s first byte is even, held-out when odd: stable across runs and machines."""
    return HALVES[hashlib.sha256(article_id.strip().encode("utf-8")).digest()[0] & 1]
