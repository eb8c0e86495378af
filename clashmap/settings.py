"""Every setting clashmap reads, validated once at start (pydantic-settings).

    >>> settings = get_settings()          # reads CLASHMAP_* from the environment   # doctest: +SKIP
    >>> settings.geocoder
    'offline'

A bad value stops the command (or the dashboard page) with one line naming the setting, the value
and what is allowed, e.g. ``CLASHMAP_GEOCODER='nominatimm': must be one of offline, nominatim``;
nothing silently falls back to a default. The dashboard's `[clashmap]` secrets section (viewing,
editing, public URL) is validated by the same model through `settings_from(...)`.

This module imports nothing from the project, so every package may read its settings here without
import cycles (geo, store and dashboard all depend on it; it depends on none of them).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from clashmap.errors import ConfigError

PUBLIC_NOMINATIM = "https://nominatim.openstreetmap.org"
ENV_PREFIX = "CLASHMAP_"


class Settings(BaseSettings):
    """clashmap's configuration; the environment variable of field `x` is `CLASHMAP_X`."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="ignore", frozen=True)

    # where things are
    db: str = Field("", description="SQLAlchemy URL of the store (default: data/clashmap.sqlite)")
    gazetteer: str = Field("", description="path of the gazetteer index (default: data/gazetteer.sqlite)")
    layers_dir: str = Field("", description="folder of the map's layers files, which every dashboard server "
                                            "process of a deployment reads (default: beside a SQLite store, "
                                            "data/layers for PostgreSQL)")

    # reading
    geocoder: Literal["offline", "nominatim"] = Field("offline", description="offline or nominatim")
    max_article_bytes: int = Field(1_000_000, ge=1_000, le=100_000_000,
                                   description="largest article read, in bytes of text (larger ones are rejected)")
    max_batch_bytes: int = Field(200_000_000, ge=1_000, le=10_000_000_000,
                                 description="largest JSON/CSV batch file read, in bytes (larger ones are rejected "
                                             "unread); each record in it is also held to max_article_bytes")
    long_text_bytes: int = Field(200_000, ge=0, le=100_000_000,
                                 description="texts over this many bytes are read in the cheaper long-text mode "
                                             "(no NER, no dependency parse, in pieces; the reading says so); 0: never")
    ner_window: int = Field(4, ge=0, le=50, description="tokens of context given to NER around a candidate name")
    resolver_weights: str = Field("", description="path of the place resolver's feature weights "
                                                  "(default: data/resolver_weights.json)")
    rule_words: str = Field("", description="path of the rules' word lists, one word a row with its reason, the lists "
                                            "named in data/rule_lists.csv (default: data/rule_words.csv)")

    # online geocoding (Nominatim)
    nominatim_url: str = Field(PUBLIC_NOMINATIM, description="base URL of the Nominatim service")
    user_agent: str = Field("", description="identifies the deployment to Nominatim and to the sites clashmap follow fetches")
    deployment: str = Field("", description="the deployment's name, used in the default user agent")
    nominatim_timeout: float = Field(5.0, gt=0, le=300, description="seconds per read from Nominatim")
    nominatim_deadline: float = Field(15.0, gt=0, le=600, description="seconds for a whole Nominatim request")
    nominatim_miss_days: float = Field(30.0, ge=0, le=3650, description="days a 'not found' is remembered")
    nominatim_hit_days: float = Field(180.0, gt=0, le=3650, description="days before a found place is asked again")
    nominatim_backoff: float = Field(60.0, ge=0, le=86_400, description="seconds Nominatim is left alone after a failure")

    # following sources (clashmap follow: articles/fetch.py, clashmap/follow.py)
    follow_interval: float = Field(900.0, ge=1, le=604_800, description="seconds between two polls of a source")
    follow_host_gap: float = Field(5.0, ge=0, le=3600,
                                   description="least seconds between two requests to one host "
                                               "(a robots.txt Crawl-delay can ask for more)")
    follow_deadline: float = Field(30.0, gt=0, le=600, description="seconds for a whole request to a source")
    follow_retry_after_max: float = Field(3600.0, ge=0, le=604_800,
                                          description="longest Retry-After (429/503) obeyed, in seconds")
    follow_max_failures: int = Field(5, ge=1, le=1000,
                                     description="failed polls in a row after which a source is disabled")
    follow_min_words: int = Field(80, ge=0, le=10_000,
                                  description="pages with fewer words are recorded as teasers, not read")
    follow_max_page_bytes: int = Field(5_000_000, ge=1_000, le=100_000_000,
                                       description="largest page or feed fetched, in bytes")
    worker_heartbeat: float = Field(10.0, gt=0, le=3600,
                                    description="seconds between two heartbeats of a `clashmap worker` (PostgreSQL)")
    worker_stalled_after: float = Field(60.0, gt=0, le=86_400,
                                        description="seconds without a heartbeat after which a worker's running job "
                                                    "is given to another worker (a killed worker loses nothing)")

    # dashboard
    auth: Literal["", "open"] = Field("", description="'open' makes every visitor an editor (single-user laptop)")
    viewing: Literal["open", "login"] = Field("open", description="open (anyone sees the map) or login")
    offline_assets: bool = Field(False, description="serve Leaflet from the app instead of CDNs")
    public_url: str = Field("", description="public address of the dashboard, for links in exports")
    store_watch_seconds: float = Field(
        1.0, ge=0, le=3600, description="seconds between two looks of the dashboard server at the store's change "
                                        "token: after an ingest, reprocess or correction by any process it brings "
                                        "the events frame up to date before a tab asks for it (0: off)")

    # dashboard logins (dashboard/auth.py): failed logins counted across all sessions of the server
    login_window_seconds: float = Field(900.0, gt=0, le=86_400,
                                        description="seconds a failed login is counted (and a lockout lasts)")
    login_user_failures: int = Field(5, ge=1, le=1000, description="failed logins per user name in the window")
    login_address_failures: int = Field(20, ge=1, le=10_000,
                                        description="failed logins per client address in the window")

    @field_validator("geocoder", "auth", "viewing", mode="before")
    @classmethod
    def _lower(cls, value: Any) -> Any:
        # case is forgiven ("Nominatim"), anything else (a typo, a trailing space) is an error
        return value.lower() if isinstance(value, str) else value

    @field_validator("db")
    @classmethod
    def _database_url(cls, value: str) -> str:
        if not value:
            return value
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

        try:
            backend = make_url(value).get_backend_name()
        except ArgumentError:
            raise ValueError("not a database URL; e.g. sqlite:///path/to/clashmap.sqlite or "
                             "postgresql+psycopg://user@host/dbname") from None
        if backend not in ("sqlite", "postgresql"):
            raise ValueError(f"database {backend!r} is not supported; use sqlite or postgresql")
        return value

    @field_validator("nominatim_url", "public_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if value and not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/")


def _env_name(field: str) -> str:
    return f"{ENV_PREFIX}{field.upper()}"


def _allowed(field: str) -> str:
    info = Settings.model_fields[field]
    return info.description or ""


def _one_line(err: ValidationError, source: Mapping[str, Any] | None, where: str) -> ConfigError:
    """The first problem of a ValidationError as one line naming the setting, its value and what is allowed."""
    first = err.errors()[0]
    field = str(first["loc"][0]) if first.get("loc") else "?"
    if source is not None:
        value = source.get(field, first.get("input"))
        name = f"{where}{field.upper() if where.endswith(ENV_PREFIX) else field}"
    else:
        value = os.environ.get(_env_name(field), first.get("input"))
        name = _env_name(field)
    if field == "db" and isinstance(value, str):
        value = hide_password(value)
    if first["type"] == "literal_error":
        choices = first.get("ctx", {}).get("expected", "")
        problem = f"must be one of {choices.replace(' or ', ', ')}".replace("'', ", "empty, ")
    else:
        problem = first["msg"].removeprefix("Value error, ").removeprefix("Input should be ")
        problem = problem if first["msg"].startswith("Value error") else f"should be {problem}"
    hint = _allowed(field)
    return ConfigError(f"{name}={value!r}: {problem}" + (f" ({hint})" if hint and "one of" not in problem else ""))


def hide_password(url: str) -> str:
    """`url` with its password (if any) replaced by ***, for messages."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def settings_from(values: Mapping[str, Any], where: str = "") -> Settings:
    """Settings from the environment overlaid with `values` (e.g. a secrets section), validated."""
    clean = {k: v for k, v in values.items() if k in Settings.model_fields}
    try:
        return Settings(**clean)
    except ValidationError as err:
        raise _one_line(err, clean, where) from None


def get_settings() -> Settings:
    """The settings of this process; `ConfigError` when a value is bad.

    Validated once per distinct set of `CLASHMAP_*` variables: a process that never changes its
    environment parses it once, and a test that sets a variable sees it at once.
    """
    # the names first, a value only for ours: `os.environ.items()` decodes every value of the environment, and
    # this is asked a few times an article (0.39 -> 0.08 ms a call with 35 variables, load 9)
    return _settings_for(tuple(sorted((k, os.environ[k]) for k in os.environ if k.startswith(ENV_PREFIX))))


@functools.lru_cache(maxsize=8)
def _settings_for(_env: tuple[tuple[str, str], ...]) -> Settings:
    try:
        return Settings()
    except ValidationError as err:
        raise _one_line(err, None, "") from None


def check_setting(field: str, value: Any, where: str = "") -> Any:
    """One setting validated on its own (a bad value in another setting does not hide it): its clean value.

    `where` names the section `value` came from (e.g. ``"secrets [clashmap] "``); empty means the
    environment variable. A bad value is a `ConfigError` worded like `settings_from`'s.
    """
    try:
        # validated as an assignment to a model built without reading anything: no environment, no other field
        checked = Settings.__pydantic_validator__.validate_assignment(Settings.model_construct(), field, value)
        return getattr(checked, field)
    except ValidationError as err:
        raise _one_line(err, {field: value} if where else None, where) from None


def reload_settings() -> Settings:
    """Read the environment again."""
    _settings_for.cache_clear()
    return get_settings()


def settings_markdown() -> str:
    """The README's table of settings, from the model itself: `python -m clashmap.settings` prints it."""
    from typing import get_args, get_origin

    rows = ["| variable | allowed values | default | meaning |", "|---|---|---|---|"]
    for name, info in Settings.model_fields.items():
        kind = info.annotation
        if get_origin(kind) is Literal:
            allowed = ", ".join(f"`{choice}`" if choice else "empty" for choice in get_args(kind))
        elif kind is bool:
            allowed = "`true`, `false`"
        elif kind in (int, float):
            bounds = {key: getattr(m, key) for m in info.metadata for key in ("ge", "gt", "le") if hasattr(m, key)}
            allowed = "whole number" if kind is int else "number"
            if "ge" in bounds:
                allowed += f" from {bounds['ge']}"
            elif "gt" in bounds:
                allowed += f" above {bounds['gt']}"
            if "le" in bounds:
                allowed += f" {'to' if 'ge' in bounds else 'up to'} {bounds['le']}"
        elif name == "db":
            allowed = "`sqlite:///...` or `postgresql+psycopg://...` URL"
        elif name.endswith("url"):
            allowed = "`http://` or `https://` URL, or empty" if not info.default else "`http://` or `https://` URL"
        else:
            allowed = "text"
        default = info.default
        if isinstance(default, bool):
            default = str(default).lower()
        meaning = info.description or ""
        if default == "" and "(default: " in meaning:
            meaning, _, default = meaning.partition(" (default: ")
            default = default.rstrip(")")
        rows.append(f"| `{_env_name(name)}` | {allowed} | {f'`{default}`' if default != '' else 'empty'} | {meaning} |")
    return "\n".join(rows) + "\n"


def default_paths(root: Path) -> dict[str, Path]:
    """Where the store and the gazetteer live when no setting says otherwise."""
    return {"db": root / "data" / "clashmap.sqlite", "gazetteer": root / "data" / "gazetteer.sqlite"}


if __name__ == "__main__":
    print(settings_markdown(), end="")
