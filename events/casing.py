"""Title-case headlines read as sentences: "Militants Kill Five Soldiers In Attack Near Gao".

Wire and web headlines capitalise every word. The parser then takes "Kill" and "Soldiers" for names and
finds no verb, so the headline gives no event. Before the event rules read the text, a title-cased
sentence is put in sentence case: every word is lowered except its first word, acronyms ("IED", "UN"),
and the names the geoparser and the actor table found there (their spans are kept as they are). Lowering
keeps every offset (a word whose lower case has another length is left as it is), so evidence still points
into the text as written.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from itertools import accumulate

from clashmap import trace
from events.sentences import Sentence

_WORD = re.compile(r"[^\W\d_][\w'’-]*")
# a sentence is title-cased when at least this share of its words of four letters or more start with a
# capital; with fewer such words the sentence is too short to tell ("Gao Market Fire")
TITLE_SHARE = 0.8
MIN_LONG_WORDS = 3


def is_title_case(text: str) -> bool:
    """Most of its longer words capitalised, not written in capitals throughout, and no full stop at its end
    (a headline has none; a sentence listing names, "Nick Shell, 38, and David Watson are the inmates.", has)."""
    if text.rstrip().endswith("."):
        return False
    long_words = [w for w in _WORD.findall(text) if len(w) >= 4]
    if len(long_words) < MIN_LONG_WORDS:
        return False
    capitalised = [w for w in long_words if w[0].isupper() and not w.isupper()]
    return len(capitalised) >= TITLE_SHARE * len(long_words)


def sentence_cased(text: str, sentences: list[Sentence], keep: list[tuple[int, int]]) -> str:
    """`text` with its title-cased sentences in sentence case; the spans in `keep` (names) stay as written."""
    pieces: list[str] = []
    cursor = 0
    # a word overlaps a kept span when one of the spans starting before its end reaches past its start: the
    # spans by start, with the furthest end so far (one bisection a word, not a scan of every name)
    keep = sorted(keep)
    starts = [a for a, _ in keep]
    reach = list(accumulate((b for _, b in keep), max))
    for sentence in sentences:
        if not is_title_case(sentence.text):
            continue
        first = True
        for word in _WORD.finditer(sentence.text):
            at, end = sentence.start + word.start(), sentence.start + word.end()
            if first:
                first = False
                continue
            token = word.group(0)
            lower = token.lower()
            if token.isupper() or lower == token or len(lower) != len(token) or \
                    _overlaps(starts, reach, at, end):
                continue
            pieces.append(text[cursor:at])
            pieces.append(lower)
            cursor = end
        trace.note("events.case", sentence.text[:60], "read in sentence case",
                   "a title-cased headline: its words lowered (names kept) so the parser finds its verb", sentence.start)
    if not pieces:
        return text
    pieces.append(text[cursor:])
    return "".join(pieces)


def _overlaps(starts: list[int], reach: list[int], at: int, end: int) -> bool:
    """Whether a span of `starts` / `reach` (sorted by start, furthest end so far) overlaps [at, end)."""
    i = bisect_left(starts, end)
    return i > 0 and reach[i - 1] > at
