"""What a page shows when clashmap cannot do its job: one line, never a traceback.

    with one_line_errors():
        page.run()

A `ClashmapError` (a bad setting, a store that cannot be opened, ...) is shown with `st.error` as
its own one-line message; a database error that escaped as SQLAlchemy's own exception becomes one
line too. Neither shows the database's host, a file path or a traceback to a viewer: an unreachable
store reads "the store cannot be reached" and the details go to the server's log, where the person
running the server reads them. Editors (who run ingest and already know the deployment) also get the
store error's own one line. Any other exception is Streamlit's to show, and `client.showErrorDetails`
(`.streamlit/config.toml`) hides its details from the browser on a shared server.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager

import streamlit as st

from clashmap.errors import ClashmapError, ConfigError, StoreError
from dashboard.safe_text import md

LOG = logging.getLogger("clashmap.dashboard")
STORE_DOWN = ("The store (CLASHMAP_DB) cannot be reached or read right now; the map is back once it is. "
              "The server's log has the details.")


def _is_editor() -> bool:
    try:
        from dashboard import auth

        return auth.can_edit()
    except Exception:  # noqa: BLE001 - the role itself may depend on the broken configuration
        return False


@contextmanager
def one_line_errors():
    """Turn clashmap's own errors and database failures raised inside the block into one `st.error` line."""
    try:
        yield
    except ConfigError as err:
        st.error(md(err))  # names a setting and what it accepts: meant to be read by whoever sees it
    except StoreError as err:
        LOG.error("store error: %s", err)
        st.error(md(err) if _is_editor() else STORE_DOWN)
    except ClashmapError as err:
        st.error(md(err))  # a message may quote a file name or a record: shown as text
    except Exception as err:  # noqa: BLE001 - only the database's errors are handled here, the rest re-raised
        if not _is_database_error(err):
            raise
        LOG.error("store error: %s: %s", type(err).__name__, err)
        st.error(STORE_DOWN)


def _is_database_error(err: BaseException) -> bool:
    from sqlalchemy.exc import SQLAlchemyError

    return isinstance(err, SQLAlchemyError)
