"""Readers for the geoparsing corpora in ../shared/corpora (read in place, never copied).

Each corpus becomes a list of `Doc`: the article text and its gold toponym spans, with
coordinates where the annotators gave them.
"""

from __future__ import annotations

import hashlib
import os
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

CORPORA = Path(os.environ.get("CLASHMAP_CORPORA")
               or Path(__file__).resolve().parent.parent.parent / "shared" / "corpora")


@dataclass(frozen=True)
class Gold:
    start: int
    end: int
    text: str
    lat: float | None
    lon: float | None
    kind: str = ""  # GeoWebNews annotation type (Literal, Metonymic, Non_Literal_Modifier, ...)


@dataclass
class Doc:
    id: str
    text: str
    gold: list[Gold] = field(default_factory=list)


def half_of(doc_id: str) -> str:
    """"tuning" when the first byte of sha256(the document's id, UTF-8) is even, "held-out" when odd: the
    fixed split of bench_ucdp, stable across runs and machines and independent of the documents' order."""
    return ("tuning", "held-out")[hashlib.sha256(doc_id.encode("utf-8")).digest()[0] & 1]


def corpora_available() -> bool:
    return (CORPORA / "lgl" / "lgl.xml").exists() and (CORPORA / "geowebnews" / "GWN.xml").exists()


def read_lgl(path: Path | None = None) -> list[Doc]:
    """LGL: every annotated span is a toponym; those with a gaztag carry coordinates."""
    root = ET.parse(path or CORPORA / "lgl" / "lgl.xml").getroot()
    docs = []
    for art in root.iter("article"):
        text = art.findtext("text") or ""
        gold = []
        for top in art.find("toponyms") or ():
            tag = top.find("gaztag")
            lat = float(tag.findtext("lat")) if tag is not None and tag.findtext("lat") else None
            lon = float(tag.findtext("lon")) if tag is not None and tag.findtext("lon") else None
            gold.append(Gold(int(top.findtext("start")), int(top.findtext("end")), top.findtext("phrase") or "",
                             lat, lon))
        docs.append(Doc(art.get("docid") or str(len(docs)), text, gold))
    return docs


def _realign(text: str, phrase: str, start: int) -> int:
    """A few GeoWebNews offsets are off by some characters: find the phrase nearest `start`."""
    if text[start : start + len(phrase)] == phrase:
        return start
    best = None
    for delta in range(1, 40):
        for s in (start - delta, start + delta):
            if 0 <= s and text[s : s + len(phrase)] == phrase:
                best = s
                break
        if best is not None:
            return best
    return start


def read_geowebnews(path: Path | None = None) -> list[Doc]:
    """GeoWebNews: the toponyms with coordinates (literal and associative types alike, 2,601 spans).

    Expressions, demonyms, homonyms, languages and non-toponyms carry no coordinates and are not gold.
    """
    root = ET.parse(path or CORPORA / "geowebnews" / "GWN.xml").getroot()
    docs = []
    for art in root.iter("article"):
        text = art.findtext("text") or ""
        gold = []
        for top in art.find("toponyms") or ():
            if top.findtext("latitude") in (None, "") or top.findtext("longitude") in (None, ""):
                continue
            phrase = top.findtext("extractedName") or ""
            start = _realign(text, phrase, int(top.findtext("start")))
            gold.append(Gold(start, start + len(phrase), phrase, float(top.findtext("latitude")),
                             float(top.findtext("longitude")), top.findtext("type") or ""))
        docs.append(Doc(art.get("file") or str(len(docs)), text, gold))
    return docs


def read_line_predictions(path: Path) -> list[list[tuple[int, int, float | None, float | None]]]:
    """A `name,,surface,,lat,,lon,,start,,end||...` file (one line per article), e.g. gwn_edin.txt."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        spans = []
        for item in filter(None, line.strip().split("||")):
            parts = item.split(",,")
            if len(parts) < 6:
                continue
            lat = float(parts[2]) if parts[2].strip() else None
            lon = float(parts[3]) if parts[3].strip() else None
            spans.append((int(parts[4]), int(parts[5]), lat, lon))
        out.append(spans)
    return out
