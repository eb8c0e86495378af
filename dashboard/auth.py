"""Who may do what in the dashboard: viewers read, editors also ingest, correct and export raw text.

    >>> role = current_role()          # "editor", "viewer" or None (must log in first)  # doctest: +SKIP
    >>> require_editor()               # at the top of the ingest page                    # doctest: +SKIP

Configured in `.streamlit/secrets.toml` (or on Streamlit Community Cloud, its Secrets box):

    [clashmap]
    viewing = "open"        # "open": anyone with the link sees the map; "login": viewers log in too
    editors = ["alice@newsroom.example"]   # OIDC e-mails (or "@newsroom.example") that may edit

    [clashmap.users.alice]  # password logins, used when no [auth] (OIDC) section is configured
    role = "editor"         # or "viewer"
    password = "$argon2id$..." # from `clashmap hash-password`; a plain-text password is refused

    [auth]                  # Streamlit's own OIDC login (st.login): redirect_uri, cookie_secret,
    ...                     # client_id, client_secret, server_metadata_url

With no configuration at all, viewing is open and editing is locked; `CLASHMAP_AUTH=open` in the
environment makes everyone an editor (a single-user laptop, never a shared server).

Access fails closed: a `viewing`, `editing` or `CLASHMAP_AUTH` value that is not one of the allowed
values makes the map private and editing locked, and editors see one line naming the setting and what
is allowed (also logged once on the server).

Password logins are throttled across every session of the server process (`THROTTLE`): at most
`login_user_failures` failed logins per user name and `login_address_failures` per client address in
`login_window_seconds`; beyond that the name or address is locked until the oldest failure leaves the
window, whatever the password. Unknown names cost the same hash check as known ones.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import logging
import math
import os
import secrets
import threading
import time
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import streamlit as st
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from clashmap.errors import ConfigError
from clashmap.settings import ENV_PREFIX, Settings, check_setting

Role = Literal["viewer", "editor"]
_SESSION_KEY = "clashmap_login"
_REHASH_KEY = "clashmap_login_rehash"
SECRETS_WHERE = "secrets [clashmap] "
UNKNOWN_ADDRESS = "(address not known)"  # connections from this machine share one address budget
WRONG_LOGIN = "Wrong user name or password."
log = logging.getLogger(__name__)

# Argon2id at OWASP's first recommended cost (Password Storage Cheat Sheet): 19 MiB, 2 passes, 1 lane.
_HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


# -- password hashes ------------------------------------------------------------------------------------

def hash_password(password: str) -> str:
    """`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`: what goes in secrets.toml instead of the password."""
    return _HASHER.hash(password)


def is_password_hash(stored: str) -> bool:
    """True for the hashes `verify_password` knows: Argon2 and the older `scrypt$n$r$p$salt$hash`."""
    return stored.startswith(("$argon2", "scrypt$"))


def verify_password(password: str, stored: str) -> bool:
    """True when `password` matches the hash; a stored value that is not a hash never matches."""
    if stored.startswith("$argon2"):
        try:
            return _HASHER.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return False
    if stored.startswith("scrypt$"):
        return _verify_scrypt(password, stored)
    return False


def needs_rehash(stored: str) -> bool:
    """True when a hash that verified should be replaced: scrypt, or Argon2 below today's cost."""
    if not stored.startswith("$argon2"):
        return True
    try:
        return _HASHER.check_needs_rehash(stored)
    except (InvalidHashError, ValueError):
        return True


def _verify_scrypt(password: str, stored: str) -> bool:
    """The hashes of clashmap before Argon2 (`scrypt$16384$8$1$salt$hash`): still accepted."""
    try:
        scheme, n, r, p, salt, expected = stored.split("$")
        n_, r_, p_ = int(n), int(r), int(p)
        digest = hashlib.scrypt(password.encode(), salt=_unb64(salt), n=n_, r=r_, p=p_,
                                maxmem=2 * 128 * r_ * n_ + 2**20, dklen=len(_unb64(expected)))
    except (ValueError, TypeError, OverflowError, MemoryError):
        return False
    return hmac.compare_digest(digest, _unb64(expected))


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode(), validate=True)


@functools.cache
def _dummy_hash() -> str:
    """A hash of the same cost as real ones, of a password nobody knows: checked for unknown user names."""
    return hash_password(secrets.token_urlsafe(24))


def check_login(name: str, password: str, users: Mapping) -> Role | None:
    """The role of `name` when `password` is right, else None (same hash work whether `name` exists or not)."""
    return _check(name, password, users)[0]


def _check(name: str, password: str, users: Mapping) -> tuple[Role | None, str]:
    entry = users.get(name) if name else None
    stored = str(entry.get("password", "")) if isinstance(entry, Mapping) else ""
    if not is_password_hash(stored):
        verify_password(password, _dummy_hash())  # an unknown name answers no faster than a known one
        return None, ""
    if not verify_password(password, stored):
        return None, stored
    return ("editor" if str(entry.get("role", "viewer")) == "editor" else "viewer"), stored


# -- throttling -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Limits:
    window: float
    per_user: int
    per_address: int


class LoginThrottle:
    """Failed logins per user name and per client address, shared by every session of this server process.

    Process-wide (a lock-guarded dict): Streamlit serves every session of an app from one process, so
    this is shared by all of them, costs no database write per attempt, and works before the store
    opens. Several server processes behind one balancer would each keep their own budget.

    An attempt is counted as a failure *before* the password is checked (`begin`), so sessions racing
    each other cannot slip past the limit; a success takes its count back and clears the user's record.
    """

    MAX_KEYS = 100_000  # memory bound: past it, expired records are swept and then the oldest dropped

    def __init__(self, clock=time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._failures: dict[tuple[str, str], deque[float]] = {}

    def clear(self) -> None:
        with self._lock:
            self._failures.clear()

    def begin(self, user: str, address: str, limits: Limits) -> tuple[float, float]:
        """(seconds locked, 0) when the name or address is over its limit (nothing is counted), else (0, stamp)."""
        now = self._clock()
        keys = (("user", user[:256]), ("address", address[:256]))  # a megabyte of name is one short key
        with self._lock:
            waits = [self._wait(key, limit, limits.window, now)
                     for key, limit in zip(keys, (limits.per_user, limits.per_address))]
            if max(waits) > 0:
                return max(waits), 0.0
            for key in keys:
                self._failures.setdefault(key, deque()).append(now)
            if len(self._failures) > self.MAX_KEYS:
                self._sweep(now, limits.window)
            return 0.0, now

    def succeeded(self, user: str, address: str, stamp: float) -> None:
        """A right password: the user's failures are forgotten and this attempt no longer counts for the address."""
        user_key, address_key = ("user", user[:256]), ("address", address[:256])
        with self._lock:
            self._failures.pop(user_key, None)
            times = self._failures.get(address_key)
            if times and stamp in times:
                times.remove(stamp)
                if not times:
                    del self._failures[address_key]

    def _wait(self, key: tuple[str, str], limit: int, window: float, now: float) -> float:
        times = self._failures.get(key)
        if not times:
            return 0.0
        while times and times[0] <= now - window:
            times.popleft()
        if len(times) < limit:
            if not times:
                del self._failures[key]
            return 0.0
        return times[len(times) - limit] + window - now  # until enough failures leave the window

    def _sweep(self, now: float, window: float) -> None:
        for key in [k for k, times in self._failures.items() if not times or times[-1] <= now - window]:
            del self._failures[key]
        while len(self._failures) > self.MAX_KEYS:
            del self._failures[next(iter(self._failures))]


THROTTLE = LoginThrottle()


@dataclass(frozen=True)
class LoginOutcome:
    role: Role | None
    locked_for: float = 0.0  # seconds: the name or the address is locked, the password was not checked
    rehash: bool = False     # the stored hash is an old kind: tell the user to replace it


def attempt_login(name: str, password: str, users: Mapping, address: str | None) -> LoginOutcome:
    """One throttled login: the outcome is the same for unknown and known names (message and work)."""
    address = address or UNKNOWN_ADDRESS
    locked_for, stamp = THROTTLE.begin(name, address, _limits())
    if locked_for:
        log.warning("login refused unchecked: too many failures for user %r or address %s", name[:80], address)
        return LoginOutcome(None, locked_for=locked_for)
    role, stored = _check(name, password, users)
    if role is None:
        return LoginOutcome(None)
    THROTTLE.succeeded(name, address, stamp)
    return LoginOutcome(role, rehash=needs_rehash(stored))


def lockout_message(seconds: float) -> str:
    """Says nothing about whether the name exists: unknown names are locked the same way."""
    wait = f"{math.ceil(seconds)} seconds" if seconds < 90 else f"{math.ceil(seconds / 60)} minutes"
    return f"Too many failed logins for this user name or from this address: try again in {wait}."


def _request_address() -> str | None:
    """The client's address as Streamlit's server (uvicorn) saw it, or None for this machine.

    Behind a reverse proxy this is already the visitor's address: uvicorn takes the last untrusted
    X-Forwarded-For entry when the connection comes from 127.0.0.1, ::1 or an address listed in the
    FORWARDED_ALLOW_IPS environment variable, and ignores the header from anyone else.
    """
    try:
        ip = st.context.ip_address
    except Exception:  # noqa: BLE001 - no session context (bare mode)
        return None
    return ip if isinstance(ip, str) and ip else None  # AppTest's stand-in runtime answers with placeholders


# -- settings -------------------------------------------------------------------------------------------

def _secrets(section: str) -> Mapping:
    """A section of st.secrets, or {} when there is no secrets file or no such section."""
    try:
        value = st.secrets.get(section)
    except Exception:  # noqa: BLE001 - no secrets.toml at all: Streamlit raises its own error type
        return {}
    return value if isinstance(value, Mapping) else {}


def _settings() -> Mapping:
    return _secrets("clashmap")


# what a setting becomes when its value is bad: the safe side, never the open one
_FAIL_CLOSED: dict[str, Any] = {"viewing": "login", "auth": ""}
_logged: set[str] = set()


def _setting(field: str) -> tuple[Any, str | None]:
    """(value, problem) of one dashboard setting: `[clashmap] field` in secrets, else CLASHMAP_FIELD, else
    the default; validated on its own. A bad value gives the fail-closed value (or the default) and the
    one-line problem."""
    section = _settings()
    if field in section:
        value, where = section[field], SECRETS_WHERE
    elif (env := os.environ.get(f"{ENV_PREFIX}{field.upper()}")) is not None:
        value, where = env, ""
    else:
        return Settings.model_fields[field].default, None
    try:
        return check_setting(field, value, where), None
    except ConfigError as err:
        problem = str(err)
        if problem not in _logged:
            _logged.add(problem)
            log.error("%s (until it is fixed, viewers must log in and editing needs a login)", problem)
        return _FAIL_CLOSED.get(field, Settings.model_fields[field].default), problem


def _editing_setting() -> tuple[bool, str | None]:
    """`[clashmap] editing` ("open" or "login"): anything else keeps editing locked and is reported."""
    value = _settings().get("editing")
    if value is None:
        return False, None
    if isinstance(value, str) and value.lower() in ("open", "login"):
        return value.lower() == "open", None
    return False, f"{SECRETS_WHERE}editing={value!r}: must be one of open, login"


def _limits() -> Limits:
    return Limits(window=float(_setting("login_window_seconds")[0]), per_user=int(_setting("login_user_failures")[0]),
                  per_address=int(_setting("login_address_failures")[0]))


def config_problems() -> list[str]:
    """One line per bad access or login setting (shown to editors; access is closed meanwhile)."""
    fields = ("viewing", "auth", "login_window_seconds", "login_user_failures", "login_address_failures")
    problems = [problem for field in fields if (problem := _setting(field)[1])]
    editing_problem = _editing_setting()[1]
    return problems + ([editing_problem] if editing_problem else [])


def oidc_configured() -> bool:
    """True when `[auth]` in secrets.toml sets up Streamlit's OIDC login (st.login)."""
    return bool(_secrets("auth"))


def viewing_is_open() -> bool:
    """True only when viewing is validly "open" and the other access settings are valid too: an access
    configuration that cannot be understood (a bad viewing, CLASHMAP_AUTH or editing) makes viewers log in."""
    value, problem = _setting("viewing")
    return value == "open" and not problem and not _setting("auth")[1] and not _editing_setting()[1]


def _editing_open() -> bool:
    return _setting("auth")[0] == "open" or _editing_setting()[0]


def editing_is_open() -> bool:
    """True in single-user mode (`CLASHMAP_AUTH=open`, or `editing = "open"`): everyone edits, nobody logs in."""
    return _editing_open()


# -- roles and pages ------------------------------------------------------------------------------------

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
    """Stop the page with a login form unless the visitor may view; editors see bad access settings."""
    role = current_role()
    if role is None:
        st.info("This clashmap is private: log in to see it.")
        login_form()
        st.stop()
    if role == "editor":
        for problem in config_problems():
            st.error(problem)


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
        outcome = attempt_login(name, password, users if isinstance(users, Mapping) else {}, _request_address())
        if outcome.locked_for:
            st.error(lockout_message(outcome.locked_for))
        elif outcome.role is None:
            st.error(WRONG_LOGIN)
        else:
            st.session_state[_SESSION_KEY] = (name, outcome.role)
            st.session_state[_REHASH_KEY] = outcome.rehash
            if outcome.rehash:
                log.warning("user %r logged in with an old password hash: replace it with `clashmap hash-password`",
                            name[:80])
            st.rerun()


def logout_button() -> None:
    """Shows who is logged in, with a button to log out (sidebar)."""
    user = current_user()
    if not user or _editing_open():
        return
    st.sidebar.text(f"Logged in as {user} ({current_role()})")  # text, not markdown: names are not trusted
    if st.session_state.get(_REHASH_KEY):
        st.sidebar.warning("Your password is stored with an older, weaker hash. Ask whoever runs this clashmap to "
                           "replace the `password` of your login in secrets.toml with the output of "
                           "`clashmap hash-password` (your password stays the same).")
    if st.sidebar.button("Log out", key="clashmap_logout"):
        if _oidc_user():
            st.logout()
        st.session_state.pop(_SESSION_KEY, None)
        st.session_state.pop(_REHASH_KEY, None)
        st.rerun()
