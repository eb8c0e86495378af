"""One normal form for place names, so that Şuşa, Shusha's and SHUSHA meet in the index."""

from __future__ import annotations

import re
import unicodedata

# Letters NFKD does not decompose into a base letter plus a mark.
_FOLD = str.maketrans({"ə": "e", "Ə": "e", "ı": "i", "ø": "o", "Ø": "o", "ß": "ss", "ł": "l", "Ł": "l",
                       "đ": "d", "Đ": "d", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "þ": "th"})
_DROP = re.compile(r"['’‘`ʼʻ´]")
_SEPARATORS = re.compile(r"[\s\-‐‑–—_./,]+")


def normalize_name(name: str) -> str:
    """Case-, accent- and punctuation-free key for a place name.

    >>> normalize_name("Şuşa"), normalize_name("Khojaly's"), normalize_name("Nagorno-Karabakh")
    ('susa', 'khojalys', 'nagorno karabakh')
    """
    name = name.translate(_FOLD)
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = _DROP.sub("", stripped.lstrip("#"))
    return _SEPARATORS.sub(" ", stripped).strip().casefold()


def is_latin_key(key: str) -> bool:
    """True when a normalised name is written in Latin letters, the only ones English copy uses."""
    return bool(key) and all(ch.isascii() for ch in key) and any(ch.isalpha() for ch in key)
