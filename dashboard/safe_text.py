"""Text from articles (titles, outlets, actors, place names, file names) inside Streamlit's markdown.

Titles, captions, labels, buttons, expanders, alerts and progress texts are all rendered as markdown:
a title `![t](http://host/pixel.png)` would make every reader's browser fetch that URL, `[x](http://...)`
would become a link, `$...$` maths and `:red[...]` colour. `md()` writes every ASCII punctuation character
as a numeric character reference (`[` -> `&#91;`): markdown shows those as the literal character and never
reads them as syntax, so the text appears exactly as it was written.

    st.title(md(detail["title"]))
    st.error(f"ingest stopped: {md(reason)}")
"""

from __future__ import annotations

import string

_ESCAPES = {ord(c): f"&#{ord(c)};" for c in string.punctuation}


def md(value, *, one_line: bool = True) -> str:
    """`value` as markdown that renders as exactly its text (newlines folded to spaces unless `one_line=False`)."""
    text = "" if value is None else str(value)
    if one_line:
        text = " ".join(text.split())
    return text.translate(_ESCAPES)
