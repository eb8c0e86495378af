"""Month names as the copy writes them ("May", "Sept.", "December"): one pattern and one table for the reader's
wire datelines and the event rules' dates, so the two never read a month differently."""

from __future__ import annotations

# full names and their usual short forms, with an optional full stop ("Sept.", "Dec.")
MONTH_PATTERN = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
                 r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")

_FORMS = (("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
          ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"),
          ("november", "nov"), ("december", "dec"))
_NUMBER = {form: i for i, forms in enumerate(_FORMS, start=1) for form in forms}


def month_number(word: str) -> int | None:
    """1-12 for a month's name or short form, any case, a closing full stop allowed; None for any other word.

    >>> month_number("Sept."), month_number("DECEMBER"), month_number("Mayo")
    (9, 12, None)
    """
    return _NUMBER.get(word.lower().removesuffix("."))
