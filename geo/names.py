"""One normal form for place names, so that Şuşa, Shusha's and SHUSHA meet in the index."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Letters NFKD does not decompose into a base letter plus a mark.
_FOLD = str.maketrans({"ə": "e", "Ə": "e", "ı": "i", "ø": "o", "Ø": "o", "ß": "ss", "ł": "l", "Ł": "l",
                       "đ": "d", "Đ": "d", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "þ": "th"})
_DROP = re.compile(r"['’‘`ʼʻ´]")
_SEPARATORS = re.compile(r"[\s\-‐‑–—_./,]+")


@lru_cache(maxsize=100_000)
def normalize_name(name: str) -> str:
    """Case-, accent- and punctuation-free key for a place name.

    >>> normalize_name("Şuşa"), normalize_name("Khojaly's"), normalize_name("Nagorno-Karabakh")
    ('susa', 'khojalys', 'nagorno karabakh')
    """
    if name.isascii():  # nothing to fold, decompose or strip of marks (news copy: most names; a fifth of
        stripped = name  # the place finding's CPU over LGL went to the per-letter mark test)
    else:
        name = name.translate(_FOLD)
        decomposed = unicodedata.normalize("NFKD", name)
        stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = _DROP.sub("", stripped.lstrip("#"))
    return _SEPARATORS.sub(" ", stripped).strip().casefold()


def is_latin_key(key: str) -> bool:
    """True when a normalised name is written in Latin letters, the only ones English copy uses."""
    return bool(key) and all(ch.isascii() for ch in key) and any(ch.isalpha() for ch in key)


# Letters that mark Azerbaijani or Turkish spelling, and how English copy writes them (Şuşa -> Shusha,
# Cəbrayıl -> Jabrayil, Xankəndi -> Khankendi, Qubadlı -> Gubadli).
_TURKIC_MARKS = set("şŞçÇğĞəƏıİ")
_TURKIC = str.maketrans({"ş": "sh", "Ş": "Sh", "ç": "ch", "Ç": "Ch", "ğ": "gh", "Ğ": "Gh", "ə": "a", "Ə": "A",
                         "ı": "i", "İ": "I", "c": "j", "C": "J", "x": "kh", "X": "Kh", "q": "g", "Q": "G"})


def english_form(name: str) -> str | None:
    """How English copy spells an Azerbaijani name (Qubadlı -> Gubadli, Xocalı -> Khojali), or None
    when the name has no letter English copy respells."""
    if _AZ_RESPELLED.isdisjoint(name):
        return None
    return name.translate(_TURKIC)


_AZ_RESPELLED = _TURKIC_MARKS | set("qQxX")


@lru_cache(maxsize=100_000)  # resolution asks it for every mention many times (a long text: millions)
def query_key(name: str) -> str:
    """The key to look a name up by: its normal form, or for Azerbaijani/Turkish spellings the form
    English copy uses, since folding Şuşa's accents alone gives 'susa' (Sousse, Susa), not Shusha.

    >>> query_key("Şuşa"), query_key("Cəbrayıl"), query_key("Shushi")
    ('shusha', 'jabrayil', 'shushi')
    """
    if _TURKIC_MARKS.isdisjoint(name):
        return normalize_name(name)
    return normalize_name(name.translate(_TURKIC))
