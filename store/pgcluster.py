"""A throwaway PostgreSQL server in a temporary directory, for the test suite and the benchmarks.

    >>> with ThrowawayPostgres() as pg:                                  # doctest: +SKIP
    ...     url = pg.create_database("scratch")   # postgresql+psycopg://clashmap@127.0.0.1:PORT/scratch

It uses Debian's server binaries (`/usr/lib/postgresql/<version>/bin`, or `CLASHMAP_PG_BIN`), listens
only on 127.0.0.1 on a free port, trusts local connections (nothing else can reach it) and deletes its
directory when stopped. `initdb` refuses to run as root, so as root the server runs as the `postgres`
user (or `nobody`) through `runuser`.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

SUPERUSER = "clashmap"


class PostgresUnavailable(RuntimeError):
    """The server binaries are missing or the server would not start; the message says why."""


def find_bin_dir() -> Path:
    """The newest installed server's bin directory (initdb, pg_ctl, postgres)."""
    override = os.environ.get("CLASHMAP_PG_BIN")
    candidates = [Path(override)] if override else sorted(
        Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: _version_key(p.parent.name), reverse=True)
    for candidate in candidates:
        if (candidate / "initdb").exists() and (candidate / "pg_ctl").exists():
            return candidate
    raise PostgresUnavailable("no PostgreSQL server binaries (initdb, pg_ctl) under /usr/lib/postgresql/*/bin; "
                              "install Debian's postgresql package (scripts/install-system-deps.sh does) "
                              "or set CLASHMAP_PG_BIN")


def _version_key(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in name.split(".") if part.isdigit()) or (0,)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run_as() -> list[str]:
    """Prefix that drops root for initdb/pg_ctl; empty when not root."""
    if os.geteuid() != 0:
        return []
    for user in ("postgres", "nobody"):
        try:
            pwd.getpwnam(user)
        except KeyError:
            continue
        return ["runuser", "-u", user, "--"]
    raise PostgresUnavailable("running as root and neither a `postgres` nor a `nobody` user exists to run the server")


class ThrowawayPostgres:
    """Start with `start()` (or `with`), stop with `stop()`; `url(db)` gives a SQLAlchemy URL."""

    def __init__(self, *, durable: bool = False) -> None:
        # durable=False turns off fsync: tests need correctness, not crash safety; benchmarks pass True.
        self.durable = durable
        self.bin = find_bin_dir()
        self.port = 0
        self.root: Path | None = None
        self.process_log: Path | None = None

    def __enter__(self) -> ThrowawayPostgres:
        self.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()

    @property
    def data_dir(self) -> Path:
        assert self.root is not None
        return self.root / "data"

    def start(self, timeout: float = 30.0) -> None:
        prefix = _run_as()
        self.root = Path(tempfile.mkdtemp(prefix="clashmap-pg-"))
        if prefix:
            user = prefix[2]
            entry = pwd.getpwnam(user)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
        self.process_log = self.root / "server.log"
        self._run(prefix + [str(self.bin / "initdb"), "-D", str(self.data_dir), "-U", SUPERUSER, "--auth=trust",
                            "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"])
        options = [f"-p {0}", "-h 127.0.0.1", f"-k {self.root}", "-c max_connections=200"]
        if not self.durable:
            options += ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]
        for _attempt in range(5):  # the free port may be taken between choosing and binding
            self.port = free_port()
            options[0] = f"-p {self.port}"
            started = subprocess.run(prefix + [str(self.bin / "pg_ctl"), "-D", str(self.data_dir), "-l",
                                               str(self.process_log), "-o", " ".join(options), "-w",
                                               "-t", str(int(timeout)), "start"],
                                     capture_output=True, text=True)
            if started.returncode == 0:
                return
        log = self.process_log.read_text(errors="replace")[-2000:] if self.process_log.exists() else ""
        self.stop()
        raise PostgresUnavailable(f"PostgreSQL did not start: {started.stderr.strip()}\n{log}")

    def _run(self, command: list[str]) -> None:
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            self.stop()
            name = next(Path(part).name for part in command if part.startswith(str(self.bin)))
            raise PostgresUnavailable(f"{name} failed: {done.stderr.strip() or done.stdout.strip()}")

    def stop(self) -> None:
        """Stop the server at once and delete its directory; safe to call twice."""
        if self.root is None:
            return
        if (self.data_dir / "postmaster.pid").exists():
            subprocess.run(_run_as() + [str(self.bin / "pg_ctl"), "-D", str(self.data_dir), "-m", "immediate",
                                        "-w", "stop"], capture_output=True, text=True)
        shutil.rmtree(self.root, ignore_errors=True)
        self.root = None

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, user=SUPERUSER, dbname="postgres",
                             autocommit=True) as conn:
            conn.execute(sql)

    def create_database(self, name: str) -> str:
        """Create an empty database and return its SQLAlchemy URL."""
        self._admin(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, name: str) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

