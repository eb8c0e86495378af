"""Strategies shared by the fuzz tests (a module of its own name, so no other conftest shadows it)."""

from __future__ import annotations

import os

from hypothesis import strategies as st


def examples(n: int) -> int:
    """`n` examples, times CLASHMAP_FUZZ_EXAMPLES (the settings profile is in this folder's conftest)."""
    return max(1, int(n * float(os.environ.get("CLASHMAP_FUZZ_EXAMPLES", "1") or 1)))

# words that reach every stage: place names the gazetteer knows, date words, numbers, actors, punctuation
WORDS = ["Barda", "Ganja", "Shushi", "Baku", "Tartar", "Idlib", "Sirte", "Kyiv", "shelled", "killed", "troops",
         "drone", "struck", "Sunday", "yesterday", "overnight", "last", "week", "in", "July", "on", "March", "3",
         "2020-10-05", "9999-12-31", "0001-01-01", "21", "civilians", "soldiers", "near", "the", "town", "of",
         "Armenian", "forces", "said", ".", ",", "–", "—", "-", "(AP)", "\n", "\r\n", "\t", "BEIRUT,", "LEBANON",
         "date", "source:", "title:", "url:", "\u0000", "\ud800", "\ufeff", "🙂", "ǅ", "İ", "ß"]

article_text = st.one_of(
    st.lists(st.sampled_from(WORDS), max_size=60).map(" ".join),
    st.text(max_size=400),
    st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=12)), max_size=40).map(" ".join),
)

json_scalar = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
                        st.floats(allow_nan=False), st.text(max_size=30))
json_value = st.recursive(json_scalar, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                               st.dictionaries(st.text(max_size=8), inner, max_size=4)),
                          max_leaves=12)

FIELDS = ["text", "title", "source", "outlet", "url", "published", "date"]
field_value = st.one_of(json_value, article_text, st.sampled_from(["2020-10-05", "0001-01-01", "9999-12-31", "",
                                                                   "2020-02-30", "2020-10-05T10:00:00Z", "yesterday"]))
record = st.one_of(json_value, st.dictionaries(st.sampled_from(FIELDS), field_value, max_size=7),
                   st.fixed_dictionaries({"text": article_text},
                                         optional={k: field_value for k in FIELDS if k != "text"}))
