"""Who may do what in the dashboard: viewers read, editors also ingest, correct and export raw text.

    >>> role = current_role()          # "editor", "viewer" or None (must log in first)  # doctest: +SKIP
    >>> require_editor()               # at the top of the ingest page                    # doctest: +SKIP

Configured in `.streamlit/secrets.toml` (or on Streamlit Community Cloud, its Secrets box):

    [clashmap]
    viewing = "open"        # "open": anyone with the link sees the map; "login": viewers log in too
    editors = ["alice@newsroom.example"]   # OIDC e-mails (or "@newsroom.example") that may edit

    [clashmap.users.alice]  # password logins, used when no [auth] (OIDC) section is configured
    role = "editor"         # or "viewer"
    password = "scrypt$..." # from `clashmap hash-password`; a plain-text password is refused

    [auth]                  # Streamlit's own OIDC login (st.login): redirect_uri, cookie_secret,
    ...                     # client_id, client_secret, server_metadata_url

With no configuration at all, viewing is open and editing is locked; `CLASHMAP_AUTH=open` in the
environment makes everyone an editor (a single-user laptop, never a shared server).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import time
from collections.abc import Mapping
from typing import Literal

import streamlit as st

Role = Literal["viewer", "editor"]
_SESSION_KEY = "clashmap_login"
# scrypt cost: 2^14 x 8 x 1 = 16 MB and ~50 ms per check, OWASP's minimum for scrypt
_N, _R, _P = 2**14, 8, 1


def hash_password(password: str, *, n: int = _N, r: int = _R, p: int = _P) -> str:
    """`scrypt$n$r$p$salt$hash` (base64): what goes in secrets.toml instead of the password."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, maxmem=2 * 128 * r * n + 2**20, dklen=32)
    return "$".join(["scrypt", str(n), str(r), str(p), _b64(salt), _b64(digest)])


def verify_password(password: str, stored: str) -> bool:
    """True when `password` matches the hash; a stored value that is not a hash never matches."""
    try:
        scheme, n, r, p, salt, expected = stored.split("$")
        if scheme != "scrypt":
            return False
        n_, r_, p_ = int(n), int(r), int(p)
        digest = hashlib.scrypt(password.encode(), salt=_unb64(salt), n=n_, r=r_, p=p_,
                                maxmem=2 * 128 * r_ * n_ + 2**20, dklen=len(_unb64(expected)))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(digest, _unb64(expected))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode(), validate=True)


def _secrets(section: str) -> Mapping:
    """A section of st.secrets, or {} when there is no secrets file or no such section."""
    try:
        value = st.secrets.get(section)
    except Exception:  # noqa: BLE001 - no secrets.toml at all: Streamlit raises its own error type
        return {}
    return value if isinstance(value, Mapping) else {}


def _settings() -> Mapping:
    return _secrets("clashmap")


def oidc_configured() -> bool:
    """True when `[auth]` in secrets.toml sets up Streamlit's OIDC login (st.login)."""
    return bool(_secrets("auth"))


def viewing_is_open() -> bool:
    value = str(_settings().get("viewing") or os.environ.get("CLASHMAP_VIEWING") or "open").lower()
    return value != "login"


def _editing_open() -> bool:
    return os.environ.get("CLASHMAP_AUTH", "").lower() == "open" or str(_settings().get("editing", "")) == "open"


def editing_is_open() -> bool:
    """True in single-user mode (`CLASHMAP_AUTH=open`, or `editing = "open"`): everyone edits, nobody logs in."""
    return _editing_open()


def _oidc_user() -> tuple[str, Role] | None:
    if not oidc_configured():
        return None
    try:
        if not st.user.is_logged_in:
            return None
        email = str(st.user.get("email") or "")
    except Exception:  # noqa: BLE001 - no user info in this context (bare mode, tests)
        return None
    editors = [str(e).lower() for e in _settings().get("editors", [])]
    is_editor = bool(email) and any(email.lower() == e or (e.startswith("@") and email.lower().endswith(e))
                                    for e in editors)
    return email or "signed-in user", "editor" if is_editor else "viewer"


def current_user() -> str | None:
    """The name to record with a correction (`corrected_by`), or None when nobody is logged in."""
    login = _oidc_user() or st.session_state.get(_SESSION_KEY)
    if login:
        return login[0]
    return "local editor" if _editing_open() else None


def current_role() -> Role | None:
    """"editor", "viewer", or None when this visitor must log in before seeing anything."""
    if _editing_open():
        return "editor"
    login = _oidc_user() or st.session_state.get(_SESSION_KEY)
    if login:
        return login[1]
    return "viewer" if viewing_is_open() else None


def can_edit() -> bool:
    """Ingest, corrections and exports of raw article text."""
    return current_role() == "editor"


def require_viewer() -> None:
    """Stop the page with a login form unless the visitor may view."""
    if current_role() is None:
        st.info("This clashmap is private: log in to see it.")
        login_form()
        st.stop()


def require_editor() -> None:
    """Stop the page with a login form unless the visitor is an editor."""
    role = current_role()
    if role == "editor":
        return
    if role == "viewer" and (st.session_state.get(_SESSION_KEY) or _oidc_user()):
        st.warning("Your login may view this clashmap but not edit it. Ask for an editor login.")
    else:
        st.info("Ingesting articles, correcting places and exporting article text need an editor login.")
    login_form()
    st.stop()


def login_form() -> None:
    """OIDC button when [auth] is configured, else a user name and password form."""
    if oidc_configured():
        provider = _settings().get("oidc_provider")
        if st.button("Log in", key="clashmap_oidc_login", type="primary"):
            if provider:  # a named provider, [auth.NAME] in secrets.toml
                st.login(provider)
            else:
                st.login()
        return
    users = _settings().get("users", {})
    if not users:
        st.caption("No logins are configured: add [clashmap.users.NAME] entries with a role and a password hash "
                   "(`clashmap hash-password`) to .streamlit/secrets.toml.")
        return
    with st.form("clashmap_login_form"):
        name = st.text_input("User name", key="clashmap_login_user")
        password = st.text_input("Password", type="password", key="clashmap_login_password")
        submitted = st.form_submit_button("Log in")
    if submitted:
        role = check_login(name, password, users)
        if role is None:
            time.sleep(0.5)  # slows guessing; the form works the same for every wrong answer
            st.error("Wrong user name or password.")
        else:
            st.session_state[_SESSION_KEY] = (name, role)
            st.rerun()


def check_login(name: str, password: str, users: Mapping) -> Role | None:
    """The role of `name` when `password` is right, else None."""
    entry = users.get(name) if name else None
    if not isinstance(entry, Mapping) or not verify_password(password, str(entry.get("password", ""))):
        return None
    role = str(entry.get("role", "viewer"))
    return "editor" if role == "editor" else "viewer"


def logout_button() -> None:
    """Shows who is logged in, with a button to log out (sidebar)."""
    user = current_user()
    if not user or _editing_open():
        return
    st.sidebar.text(f"Logged in as {user} ({current_role()})")  # text, not markdown: names are not trusted
    if st.sidebar.button("Log out", key="clashmap_logout"):
        if _oidc_user():
            st.logout()
        st.session_state.pop(_SESSION_KEY, None)
        st.rerun()
