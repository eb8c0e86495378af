"""Text from articles (titles, outlets, actors, place names, file names) inside Streamlit's markdown.

Titles, captions, labels, buttons, expanders, alerts and progress texts are all rendered as markdown:
a title `![t](http://host/pixel.png)` would make every reader's browser fetch that URL, `[x](http://...)`
would become a link, `$...$` maths and `:red[...]` colour. `md()` writes every ASCII punctuation character
as a numeric character reference (`[` -> `&#91;`): markdown shows those as the literal character and never
reads them as syntax. Markdown also turns bare `http://...`, `www.` and e-mail addresses into links *after*
decoding those references, so a WORD JOINER (U+2060, invisible, zero width) is put inside each such pattern
(`http\u2060://`, `www\u2060.`, `a@\u2060b`): the text reads the same, and nothing becomes a link.

    st.title(md(detail["title"]))
    st.error(f"ingest stopped: {md(reason)}")
"""

from __future__ import annotations

import re
import string

_ESCAPES = {ord(c): f"&#{ord(c)};" for c in string.punctuation}
WORD_JOINER = "\u2060"
_AUTOLINK = re.compile(r"(?i)(?<=https)(?=://)|(?<=http)(?=://)|(?<=www)(?=\.)|(?<=@)(?=\w)|(?<=ftp)(?=://)")


def entities(text: str) -> str:
    """Every ASCII punctuation character of `text` as a numeric character reference (also HTML-safe)."""
    return text.translate(_ESCAPES)


def md(value, *, one_line: bool = True) -> str:
    """`value` as markdown that renders as exactly its text (newlines folded to spaces unless `one_line=False`)."""
    text = "" if value is None else str(value)
    if one_line:
        text = " ".join(text.split())
    return entities(_AUTOLINK.sub(WORD_JOINER, text))
