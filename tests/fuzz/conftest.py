"""Hypothesis settings for the fuzz suite: derandomized (the same examples on every run, so CI is
repeatable), no example database written into the checkout, no per-example deadline (the first
pipeline example loads the NER model). Each test sets its own max_examples to keep the suite under
about a minute in `make test`; CLASHMAP_FUZZ_EXAMPLES=<factor> multiplies them for a longer hunt,
with a random seed then (`derandomize` off)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_FACTOR = float(os.environ.get("CLASHMAP_FUZZ_EXAMPLES", "1") or 1)

settings.register_profile(
    "clashmap",
    derandomize=_FACTOR == 1,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)
settings.load_profile("clashmap")
