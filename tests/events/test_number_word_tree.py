"""events.numbers writes its word lists (number words, people nouns, words of the wounded) as trees of shared
beginnings ("sold(?:iers|ier)"): cheaper for the regex engine, and the same matches as the flat alternation,
longest word first, that they replace."""

from __future__ import annotations

import re

from events.numbers import _alternatives, hurt_words, number_words, people_nouns


def _flat(words) -> str:
    return "(?:" + "|".join(sorted((re.escape(w).replace(r"\ ", r"\s+") for w in words), key=len, reverse=True)) + ")"


def _spans(pattern: str, text: str, suffix: str = "") -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(pattern + suffix, text, re.IGNORECASE)]


def test_the_longer_word_wins_where_two_begin_alike():
    words = ["a", "an", "a dozen", "a few", "police", "police officer", "policeman", "twenty", "twenty-one"]
    text = "A dozen police  officer came, an officer, a few policemen and Twenty-one guards"
    tree = r"\b" + _alternatives(words) + r"\b"
    assert [text[a:b] for a, b in _spans(tree, text)] == \
           ["A dozen", "police  officer", "an", "a few", "Twenty-one"]
    assert _spans(tree, text) == _spans(r"\b" + _flat(words) + r"\b", text)


def test_the_tables_words_match_as_the_flat_lists_did():
    tables = {"numbers": list(number_words()[0]), "singular": list(people_nouns()["singular"]),
              "plural": list(people_nouns()["plural"]), "hurt": list(hurt_words())}
    for name, words in tables.items():
        text = " ".join(f"{w} {w.upper()}s, {w}-{w}; x{w}" for w in words)
        tree, flat = _alternatives(words), _flat(words)
        for suffix in ("", r"\b", r"\s+(?:were|was)\b", r"(?![\w'’-])"):  # backtracking into the group too
            assert _spans(tree, text, suffix) == _spans(flat, text, suffix), name
