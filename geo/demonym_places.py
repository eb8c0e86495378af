"""Demonyms written as adjectives name their country: "Iraqi forces", "the Sri Lankan navy".

A reader of "Russian troops crossed" sees Russia named; gazetteer-annotated news corpora agree (LGL tags
the adjective as a toponym of the country; GeoWebNews as a modifier toponym with the country's point).
The plural noun ("Canadians", "thousands of Nigerians") names people, not a place, and is left out; so is
a demonym opening the name of an organisation or a building ("Canadian Press", "British Airways",
"British Embassy": a word of data/demonym_senses.csv follows; "Iraqi forces" and "the Russian government" do
name the country), one inside a person's name, a language or a tradition ("in English and Spanish", "Irish
songs", "French immersion"), and one whose everyday sense is not the country (the same file, with reasons).

Each found demonym becomes a `Toponym` with `how="demonym"`, role `mention` (never where an event
happened) and `inner` the country code; `geo.resolve.resolve_all` places it at that country.

A demonym before "capital" ("in the Libyan capital", "the Angolan capital city") names that country's capital
city, a place where things happen: a `Toponym` with `how="capital"`, role `event`, `inner` the country code,
which `geo.resolve.resolve_all` places at the gazetteer's capital of that country (GeoNames feature PPLC).
"""

from __future__ import annotations

import csv
import functools
import re
from pathlib import Path

from clashmap import trace
from clashmap.errors import ConfigError

SENSES_FILE = Path(__file__).resolve().parent.parent / "data" / "demonym_senses.csv"
DEMONYM = "demonym"
CAPITAL = "capital"
# "the Libyan capital", "the Angolan capital city": the demonym's country's capital (a place, not a mention)
_CAPITAL_AFTER = re.compile(r"\s+capital(?:\s+city)?(?![\w\-])", re.IGNORECASE)
_CLAUSE_ENDS = re.compile(r"\s*(?:[.,;:!?)\"”]|and\b|or\b|$)")


@functools.lru_cache(maxsize=4)
def _pattern(keys: frozenset[str]) -> re.Pattern | None:
    """One pattern for every demonym key ('sri lankan' matches "Sri Lankan" and "Sri-Lankan"), longest first,
    as a whole word not followed by a plural or another word character."""
    if not keys:
        return None
    forms = [r"[\s\-]+".join(re.escape(w) for w in key.split()) for key in sorted(keys, key=len, reverse=True)]
    return re.compile(r"(?<![\w\-])(?:" + "|".join(forms) + r")(?![\w\-])", re.IGNORECASE)


LISTS = ("not_country", "name_after", "culture_after", "language_before")


@functools.lru_cache(maxsize=4)
def _language_before(words: frozenset[str]) -> re.Pattern:
    """A language cue right before, perhaps with other languages listed after it: "in ", "in English and "."""
    cue = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) or "(?!)"
    return re.compile(r"(?<![\w\-])((?i:" + cue + r"))\s+(?:[A-Z][\w\-]*(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+))*$")


@functools.lru_cache(maxsize=1)
def demonym_senses(path: Path = SENSES_FILE) -> dict[str, dict[str, str]]:
    """data/demonym_senses.csv, per list: `not_country` (a demonym whose everyday sense is not its country),
    `name_after` (a word after a demonym that makes it part of a building's or company's name), `culture_after`
    (a word after it that makes it a language, a descent or a style: "French immersion", "Irish heritage") and
    `language_before` (a word before it that makes it a language when the clause goes on no further: "in English
    and Spanish"), each normalised word -> its reason."""
    from geo.names import normalize_name

    table: dict[str, dict[str, str]] = {name: {} for name in LISTS}
    try:
        with open(path, encoding="utf-8", newline="") as f:
            for line, row in enumerate(csv.DictReader(f), start=2):
                word, kind = (row.get("word") or "").strip(), (row.get("list") or "").strip()
                reason = (row.get("reason") or "").strip()
                if not word or kind not in LISTS or not reason:
                    raise ConfigError(f"{path}: line {line}: a word, a list ({' or '.join(LISTS)}) and a reason "
                                      "are needed")
                table[kind][normalize_name(word)] = reason
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"{path}: demonym senses unreadable ({err.__class__.__name__}: {err})") from None
    return table


def demonym_places(text: str, body_start: int, demonyms: dict[str, str], taken: list[tuple[int, int]],
                   people: list[tuple[int, int]] = ()) -> list:
    """The demonyms of the body read as their countries, outside the spans already `taken` by place names
    and inside no person's name (`people`: "Percy French")."""
    from geo.names import normalize_name
    from geo.toponyms import Toponym, _SpanSet

    pattern = _pattern(frozenset(demonyms))
    if pattern is None:
        return []
    senses = demonym_senses()
    out = []
    placed = _SpanSet(sorted(taken))  # (a long text's thousands of names: not each one per demonym)
    for m in pattern.finditer(text, body_start):
        s, e = m.span()
        surface = m.group(0)
        if not surface[0].isupper() or placed.overlaps(s, e):
            continue
        if any(a < e and s < b for a, b in people):
            trace.note("toponyms.demonym", surface, "dropped", "inside a person's name (NER)", s)
            continue
        key = normalize_name(surface)
        if key in senses["not_country"]:
            trace.note("toponyms.demonym", surface, "dropped", f"{senses['not_country'][key]} "
                       "(data/demonym_senses.csv)", s)
            continue
        if text[e:e + 2] in ("'s", "’s"):
            continue  # "the Russian's lawyer": a person
        capital = _CAPITAL_AFTER.match(text, e)
        if capital:
            trace.note("toponyms.demonym", text[s:capital.end()], "kept",
                       f"a demonym before 'capital' names its country's capital ({demonyms[key]})", s)
            out.append(Toponym(text[s:capital.end()], s, capital.end(), "event", CAPITAL, demonyms[key]))
            continue
        nxt = re.match(r"\s+([\w\-]+)", text[e:e + 40])
        after = nxt.group(1).casefold() if nxt else ""
        for kind in ("name_after", "culture_after"):
            if after in senses[kind]:
                trace.note("toponyms.demonym", surface, "dropped", f"{senses[kind][after]} (data/demonym_senses.csv)", s)
                break
        else:
            # "in Spanish.", "in English and Spanish": a language word, perhaps a list of languages, then the clause ends
            before = _language_before(frozenset(senses["language_before"])).search(text[max(0, s - 60):s])
            if before and _CLAUSE_ENDS.match(text, e):
                why = senses["language_before"][before.group(1).casefold()]
                trace.note("toponyms.demonym", surface, "dropped", f"{why} (data/demonym_senses.csv)", s)
                continue
            trace.note("toponyms.demonym", surface, "kept", f"a demonym names its country ({demonyms[key]})", s)
            out.append(Toponym(surface, s, e, "mention", DEMONYM, demonyms[key]))
    return out
