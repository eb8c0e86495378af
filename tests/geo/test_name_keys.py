"""geo.names.normalize_name: a name in ASCII skips the Unicode folding (nothing to fold or strip of marks),
and must still give the key the full path gives, so the gazetteer and the cache meet on the same keys."""

from __future__ import annotations

import random
import unicodedata

from geo.names import _DROP, _FOLD, _SEPARATORS, normalize_name


def _full_path(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.translate(_FOLD))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SEPARATORS.sub(" ", _DROP.sub("", stripped.lstrip("#"))).strip().casefold()


def test_ascii_names_get_the_key_of_the_full_path():
    ascii_chars = [chr(i) for i in range(128)]
    rng = random.Random(7)
    names = ascii_chars + ["#Gao", "Port-au-Prince", "Dar es Salaam", "St. John's", "  Bama_West  ", "O'Hare",
                           "AL-HASAKAH"] + ["".join(rng.choice(ascii_chars) for _ in range(rng.randint(1, 14)))
                                            for _ in range(20_000)]
    assert [normalize_name(n) for n in names] == [_full_path(n) for n in names]


def test_accented_names_are_still_folded():
    assert normalize_name("Şuşa") == "susa" == _full_path("Şuşa")
    assert normalize_name("Ağdam’s") == "agdams"
