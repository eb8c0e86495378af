"""Logins: anonymous viewers see the map but not the editing pages; passwords are only ever hashes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.auth import check_login, hash_password, verify_password

REPO = Path(__file__).resolve().parents[2]


def _pages() -> None:
    """A two-page app shaped like the dashboard: a map page for viewers, an ingest page for editors."""
    import streamlit as st

    from dashboard.auth import logout_button, require_editor, require_viewer

    page = st.session_state.get("page", "map")
    require_viewer()
    logout_button()
    if page == "map":
        st.header("Map of reported events")
    else:
        require_editor()
        st.header("Ingest articles")
        st.text_area("Paste an article")


def _app(page: str = "map", **clashmap_secrets) -> AppTest:
    at = AppTest.from_function(_pages, default_timeout=30)
    at.session_state["page"] = page
    if clashmap_secrets:
        at.secrets["clashmap"] = clashmap_secrets
    return at


USERS = {"alice": {"role": "editor", "password": hash_password("correct horse")},
         "bob": {"role": "viewer", "password": hash_password("battery staple")},
         "mallory": {"role": "editor", "password": "plain-text-password"}}


def _headers(at: AppTest) -> list[str]:
    return [h.value for h in at.header]


def _log_in(at: AppTest, user: str, password: str) -> AppTest:
    at.text_input(key="clashmap_login_user").input(user)
    at.text_input(key="clashmap_login_password").input(password)
    at.button[0].click()
    return at.run()


@pytest.fixture(autouse=True)
def _no_open_editing(monkeypatch):
    monkeypatch.delenv("CLASHMAP_AUTH", raising=False)
    monkeypatch.delenv("CLASHMAP_VIEWING", raising=False)


def test_hashes_are_salted_and_verify():
    first, second = hash_password("s3cret"), hash_password("s3cret")
    assert first != second and "s3cret" not in first
    assert first.startswith("$argon2id$")
    assert verify_password("s3cret", first) and verify_password("s3cret", second)
    assert not verify_password("S3cret", first)
    assert not verify_password("s3cret", "s3cret")  # a plain-text entry never logs anyone in
    assert not verify_password("s3cret", "scrypt$garbage")


def test_check_login_refuses_plain_text_and_unknown_users():
    assert check_login("alice", "correct horse", USERS) == "editor"
    assert check_login("bob", "battery staple", USERS) == "viewer"
    assert check_login("mallory", "plain-text-password", USERS) is None
    assert check_login("nobody", "x", USERS) is None
    assert check_login("alice", "wrong", USERS) is None


def test_hash_password_command_prints_a_verifiable_hash():
    done = subprocess.run([sys.executable, "-m", "clashmap", "hash-password", "--stdin"], input="let me in\n",
                          capture_output=True, text=True, cwd=REPO, timeout=60)
    assert done.returncode == 0, done.stderr
    stored = done.stdout.strip()
    assert "let me in" not in stored and verify_password("let me in", stored)
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")  # OWASP's Argon2id cost


def test_anonymous_viewer_sees_the_map():
    at = _app("map", users=USERS).run()
    assert not at.exception
    assert _headers(at) == ["Map of reported events"]


def test_anonymous_viewer_cannot_reach_the_editing_page():
    at = _app("ingest", users=USERS).run()
    assert not at.exception
    assert "Ingest articles" not in _headers(at) and not at.text_area
    assert any("editor login" in i.value for i in at.info)
    assert [t.label for t in at.text_input] == ["User name", "Password"]


def test_editing_is_locked_when_nothing_is_configured():
    at = _app("ingest").run()
    assert not at.exception
    assert "Ingest articles" not in _headers(at)
    assert any("No logins are configured" in c.value for c in at.caption)


def test_editor_logs_in_with_a_password_and_edits():
    at = _log_in(_app("ingest", users=USERS).run(), "alice", "correct horse")
    assert not at.exception
    assert _headers(at) == ["Ingest articles"] and at.text_area
    assert any("alice" in t.value for t in at.sidebar.text)


def test_wrong_password_and_plain_text_entries_get_nowhere():
    at = _log_in(_app("ingest", users=USERS).run(), "alice", "wrong")
    assert "Ingest articles" not in _headers(at)
    assert [e.value for e in at.error] == ["Wrong user name or password."]
    at = _log_in(_app("ingest", users=USERS).run(), "mallory", "plain-text-password")
    assert "Ingest articles" not in _headers(at)


def test_a_viewer_login_cannot_edit():
    at = _log_in(_app("ingest", users=USERS).run(), "bob", "battery staple")
    assert "Ingest articles" not in _headers(at)
    assert any("not edit" in w.value for w in at.warning)


def test_private_viewing_needs_a_login_first():
    at = _app("map", users=USERS, viewing="login").run()
    assert "Map of reported events" not in _headers(at)
    assert any("private" in i.value for i in at.info)
    at = _log_in(at, "bob", "battery staple")
    assert _headers(at) == ["Map of reported events"]


def test_oidc_configuration_offers_the_provider_login(monkeypatch):
    at = AppTest.from_function(_pages, default_timeout=30)
    at.session_state["page"] = "ingest"
    at.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
                          "client_id": "clashmap", "client_secret": "s",
                          "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}
    at.secrets["clashmap"] = {"editors": ["@newsroom.example"]}
    at.run()
    assert not at.exception
    assert "Ingest articles" not in _headers(at)
    assert [b.label for b in at.button] == ["Log in"] and not at.text_input
