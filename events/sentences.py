"""Split article text into sentences and paragraphs with offsets into the original text."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A sentence ends at . ! ? (or a closing quote after one) followed by space and a capital,
# a quote or a digit; common abbreviations do not end sentences.
_ABBREVIATIONS = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|Gen|Lt|Col|Maj|Capt|Sgt|St|No|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|"
                            r"Oct|Nov|Dec|U\.S|U\.N|a\.m|p\.m|A\.M|P\.M|vs|approx|est)\.)$")
_BOUNDARY = re.compile(r"[.!?][”\"’')]*\s+(?=[A-Z“\"‘'#\d(])")
_ABBREVIATION_REACH = 12  # the longest abbreviation above ("approx.") is 7 characters: look back no further
# A "sentence" longer than this (a scraped page with no full stop, a pasted list) is cut into pieces at
# spaces: every rule that reads a sentence or clause then reads a bounded stretch, so the cost of an
# article grows with its length, never with its square. News sentences stay far below (gold set: 373).
MAX_SENTENCE_CHARS = 1000


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int
    end: int
    paragraph: int


def split_sentences(text: str, start: int = 0) -> list[Sentence]:
    """Sentences of `text[start:]`, each knowing its paragraph (one paragraph per line)."""
    sentences: list[Sentence] = []
    paragraph = 0
    for line in re.finditer(r"[^\n]+", text[start:]):
        line_start = start + line.start()
        body = line.group(0)
        if not body.strip():
            continue
        cursor = 0
        for boundary in _BOUNDARY.finditer(body):
            # only the words just before the stop can be an abbreviation: look there, not at the whole line
            dot = boundary.start() + 1
            if _ABBREVIATIONS.search(body, max(0, dot - _ABBREVIATION_REACH), dot):
                continue
            _add_bounded(sentences, text, line_start + cursor, line_start + boundary.end(), paragraph)
            cursor = boundary.end()
        _add_bounded(sentences, text, line_start + cursor, line_start + len(body), paragraph)
        paragraph += 1
    return sentences


def _add_bounded(out: list[Sentence], text: str, s: int, e: int, paragraph: int,
                 limit: int = MAX_SENTENCE_CHARS) -> None:
    """Add `text[s:e]` as one sentence, or as pieces of at most `limit` characters cut at a space."""
    while e - s > limit:
        cut = text.rfind(" ", s + limit // 2, s + limit)
        cut = cut + 1 if cut != -1 else s + limit
        _add(out, text, s, cut, paragraph)
        s = cut
    _add(out, text, s, e, paragraph)


def _add(out: list[Sentence], text: str, s: int, e: int, paragraph: int) -> None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if e > s:
        out.append(Sentence(text[s:e], s, e, paragraph))


# Two reports in one sentence ("X said A had attacked, while Baku said B had shelled") are two clauses.
_CLAUSE = re.compile(r"(?:,\s+while\s+|;\s+|,\s+whereas\s+)")


def split_clauses(sentence: Sentence) -> list[Sentence]:
    """The sentence's clauses joined by "while" / "whereas" / a semicolon, offsets kept; else the sentence itself."""
    parts: list[Sentence] = []
    cursor = 0
    for boundary in _CLAUSE.finditer(sentence.text):
        piece = sentence.text[cursor : boundary.start()]
        parts.append(Sentence(piece, sentence.start + cursor, sentence.start + boundary.start(), sentence.paragraph))
        cursor = boundary.end()
    if not parts:
        return [sentence]
    parts.append(Sentence(sentence.text[cursor:], sentence.start + cursor, sentence.end, sentence.paragraph))
    return [p for p in parts if p.text.strip()]
