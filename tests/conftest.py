"""Fixtures shared by every test: a database on each engine, and an initialised node on it.

`db_url` runs a test twice: on a temporary SQLite file, and on a PostgreSQL database created for
that test alone (dropped afterwards) on the server named by COUNTER_TUI_TEST_PG_URL, e.g.
postgresql+psycopg://counter:counter@127.0.0.1:5432/counter_test (the role needs CREATEDB, and
pg_signal_desk so that dropping the database WITH (FORCE) may end an autovacuum worker).
Without that variable the PostgreSQL half is skipped, saying so.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest

import counter_tui
from counter_tui.clock import DEFAULT_ZONE, set_hall_zone

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from counter_tui.actor import Actor

PG_URL_VARIABLE = "COUNTER_TUI_TEST_PG_URL"
SITE = "421202-XA-BYQ"
SITE_NAME = "襄城区便民服务室"
ADMIN = "admin"
ADMIN_PASSWORD = "admin-pass-1"

ENGINES = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]

#: The hall's zone (the default, clock.DEFAULT_ZONE). Tests write their times as the hall's
#: wall-clock times, `datetime(…, tzinfo=HALL)`, so they mean the same on a PC in any zone.
HALL = ZoneInfo(DEFAULT_ZONE)


@pytest.fixture(autouse=True)
def _default_hall_zone() -> Iterator[None]:
    """Each test starts in the default hall zone, whatever an earlier one set."""
    set_hall_zone(DEFAULT_ZONE)
    yield
    set_hall_zone(DEFAULT_ZONE)


@pytest.fixture(autouse=True)
def failure_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where this test's unexpected errors are logged (failures.py): its own folder, never the
    user's."""
    folder = tmp_path / "log"
    monkeypatch.setenv("COUNTER_TUI_LOG_DIR", str(folder))
    return folder


@pytest.fixture(scope="session")
def pg_server_url() -> str:
    """The PostgreSQL server for tests; the test is skipped when none is configured."""
    url = os.environ.get(PG_URL_VARIABLE)
    if not url:
        pytest.skip(
            f"{PG_URL_VARIABLE} is not set: set it to a PostgreSQL URL whose role may CREATE "
            "DATABASE (e.g. postgresql+psycopg://counter:counter@127.0.0.1:5432/counter_test)"
        )
    return url


@pytest.fixture(params=ENGINES)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database, once per engine."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'counter.db'}"
        return
    server = request.getfixturevalue("pg_server_url")
    yield from _fresh_postgres_database(server)


def _fresh_postgres_database(server: str) -> Iterator[str]:
    from sqlalchemy import create_engine, make_url, text

    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    name = f"counter_test_{uuid.uuid4().hex[:16]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        # FORCE: a test that failed half-way may leave a subprocess or pool connected.
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """An engine on the empty database of `db_url` (no schema yet)."""
    from counter_tui.db import make_engine

    engine = make_engine(db_url, create=True)
    yield engine
    engine.dispose()


@dataclass(frozen=True)
class Node:
    """An initialised node: schema at head, site created, one admin user."""

    url: str
    engine: Engine
    operator: Actor
    site: str = SITE
    admin: str = ADMIN
    admin_password: str = ADMIN_PASSWORD


@pytest.fixture
def node(db_url: str, engine: Engine) -> Node:
    """What `counter-tui init` leaves behind, made in-process (on each engine)."""
    from counter_tui.accounts.service import create_user
    from counter_tui.db import write_session
    from counter_tui.schema import upgrade
    from counter_tui.site.service import initialise_node

    upgrade(engine)
    with write_session(engine) as session:
        operator = initialise_node(session, site=SITE, name=SITE_NAME)
        create_user(
            session,
            operator,
            username=ADMIN,
            display_name="管理员",
            role="admin",
            password=ADMIN_PASSWORD,
        )
    return Node(url=db_url, engine=engine, operator=operator)


# --- the command line, as a county admin runs it -----------------------------------------


@dataclass
class Cli:
    """Runs `python -m counter_tui …` with no stdin and no config but the one a test writes."""

    env: dict[str, str]
    cwd: Path

    def __call__(self, *args: str | Path, db: str | Path | None = None) -> Ran:
        argv = [sys.executable, "-m", "counter_tui"]
        if db is not None:
            argv += ["--db", str(db)]
        argv += [str(a) for a in args]
        done = subprocess.run(
            argv,
            env=self.env,
            cwd=self.cwd,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=120,
        )
        return Ran(done.returncode, done.stdout, done.stderr)

    def as_admin(
        self,
        *args: str | Path,
        db: str | Path | None = None,
        admin: str = ADMIN,
        password: str = ADMIN_PASSWORD,
    ) -> Ran:
        """Run a command that needs an administrator's sign-in (cli/admin.py), the password
        given in a file as a script would."""
        return self(*args, *self.admin_options(admin, password), db=db)

    def admin_options(self, admin: str = ADMIN, password: str = ADMIN_PASSWORD) -> list[str]:
        """`--admin NAME --admin-password-file FILE`, the file written for `password`."""
        secret = self.cwd.parent / f"admin-password-{admin}.txt"
        secret.write_text(password + "\n", encoding="utf-8")
        return ["--admin", admin, "--admin-password-file", str(secret)]


@dataclass(frozen=True)
class Ran:
    code: int
    out: str
    err: str

    @property
    def error_line(self) -> str:
        """The one line of a refusal; fails the test if there is more (a traceback, say)."""
        lines = self.err.strip().splitlines()
        assert len(lines) == 1, self.err
        return lines[0]


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    home = tmp_path / "home"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "PYTHONIOENCODING": "utf-8",
        "HOME": str(home),
        # The code under test, wherever it is imported from here (a worktree, not an install).
        "PYTHONPATH": str(Path(counter_tui.__file__).resolve().parents[1]),
    }
    if "PYTHONPATH" in os.environ:  # a worktree's src/ must win over an installed copy
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        env[name] = str(home / name.lower())
    home.mkdir()
    work = tmp_path / "work"
    work.mkdir()
    return Cli(env=env, cwd=work)
