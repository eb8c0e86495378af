"""Article text as safe HTML with place mentions and event evidence highlighted by their offsets.

    html_text = highlight(text, mentions=[(10, 16, "event", "Shusha (AZ)")], evidence=[(0, 40, "Battles")])

Every punctuation character of the article becomes a numeric character reference (`dashboard.safe_text.entities`,
a superset of `html.escape`) and every newline `&#10;`: only our own <mark>/<span> tags are added, so
`<script>` or `<img onerror=...>` in an article shows as text and runs nothing, and the whole text is one
line of HTML to Streamlit's markdown, which therefore never reads `![x](http://...)` in it as an image.
"""

from __future__ import annotations

import html

from dashboard.safe_text import entities

ROLE_CLASS = {"dateline": "cm-dateline", "event": "cm-event", "mention": "cm-mention", "approximate": "cm-approximate"}

STYLE = """
<style>
.cm-article {white-space: pre-wrap; font-family: Georgia, serif; line-height: 1.55; font-size: 1.02rem;}
.cm-article .cm-evidence {background: #fff3c4; border-bottom: 2px solid #e0b000;}
.cm-article mark {padding: 0 2px; border-radius: 3px;}
.cm-article mark.cm-event {background: #ffc9c9;}
.cm-article mark.cm-mention {background: #cfe3ff;}
.cm-article mark.cm-dateline {background: #ddd; border: 1px dashed #444;}
.cm-article mark.cm-approximate {background: #eee; border-bottom: 2px dotted #777;}
.cm-article mark.cm-unresolved {background: #eee; text-decoration: underline wavy #c00;}
</style>
"""


def highlight(text: str, mentions: list[tuple[int, int, str, str]], evidence: list[tuple[int, int, str]]) -> str:
    """`mentions`: (start, end, role, title); `evidence`: (start, end, title). Offsets index `text`."""
    n = len(text)
    cuts = {0, n}
    spans = []
    for start, end, role, title in mentions:
        if 0 <= start < end <= n:
            cuts.update((start, end))
            spans.append(("mark", start, end, ROLE_CLASS.get(role, "cm-unresolved") if title else "cm-unresolved",
                          title or "unresolved"))
    for start, end, title in evidence:
        if 0 <= start < end <= n:
            cuts.update((start, end))
            spans.append(("span", start, end, "cm-evidence", title))
    bounds = sorted(cuts)
    out = []
    for a, b in zip(bounds, bounds[1:]):
        piece = entities(text[a:b]).replace("\n", "&#10;").replace("\r", "&#13;")
        for tag, start, end, cls, title in spans:
            if tag == "mark" and start <= a and b <= end:
                piece = f'<mark class="{cls}" title="{html.escape(title)}">{piece}</mark>'
                break
        for tag, start, end, cls, title in spans:
            if tag == "span" and start <= a and b <= end:
                piece = f'<span class="{cls}" title="{html.escape(title)}">{piece}</span>'
                break
        out.append(piece)
    return STYLE + '<div class="cm-article">' + "".join(out) + "</div>"
