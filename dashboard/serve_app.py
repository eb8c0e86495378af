"""What `clashmap serve` runs: the dashboard (`dashboard/app.py`) as Streamlit's ASGI app (`st.App`, Streamlit
>= 1.5x, takes Starlette middleware and routes), with lasting cache headers for the map's static files
(`dashboard/cache_headers.py`) and the map's layers served as files (`dashboard/layer_files.py`).
"""

from __future__ import annotations

import streamlit as st
from starlette.middleware import Middleware

from dashboard import layer_files
from dashboard.cache_headers import CacheStaticFiles

app = st.App("app.py", middleware=[Middleware(CacheStaticFiles)], routes=layer_files.routes())
layer_files.serve()
