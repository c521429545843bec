"""Fixtures shared by every test: a database on each engine, and an initialised node on it.

`db_url` runs a test twice: on a temporary SQLite file, and on a PostgreSQL database created for
that test alone (dropped afterwards) on the server named by COUNTER_TUI_TEST_PG_URL, e.g.
postgresql+psycopg://counter:counter@127.0.0.1:5432/counter_test (the role needs CREATEDB, and
pg_signal_desk so that dropping the database WITH (FORCE) may end an autovacuum worker).
Without that variable the PostgreSQL half is skipped, saying so.

`node` is initialised once per session and engine (`initialise`, what `init` does) and copied
for each test: the SQLite file is copied, the PostgreSQL database is the TEMPLATE of the test's
own. Passwords are hashed with cheap argon2 parameters throughout (`pytest_configure`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest

import counter_tui
from counter_tui.accounts.passwords import TEST_HASHING_VARIABLE
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


def pytest_configure(config: pytest.Config) -> None:
    """Cheap argon2 parameters for this process and every program it starts (the hook of
    accounts/passwords.py): hashing at production cost was a good part of the suite's time."""
    os.environ[TEST_HASHING_VARIABLE] = "1"


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
def db_kind(request: pytest.FixtureRequest) -> str:
    """The engine a test runs on: "sqlite", then "postgres"."""
    return str(request.param)


@pytest.fixture
def db_url(db_kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database, once per engine."""
    if db_kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'counter.db'}"
        return
    with postgres_database(request.getfixturevalue("pg_server_url")) as url:
        yield url


@contextmanager
def postgres_database(server: str, *, template: str | None = None) -> Iterator[str]:
    """A database of its own on `server` (a copy of the database `template`, or empty), dropped
    afterwards."""
    from sqlalchemy import create_engine, make_url, text

    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    name = f"counter_test_{uuid.uuid4().hex[:16]}"
    copy = f' TEMPLATE "{template}"' if template else ""
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"{copy}'))
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


@dataclass(frozen=True)
class NodeTemplate:
    """A node database made once per session, which each test's `node` copies: a SQLite file,
    or a PostgreSQL database used as the TEMPLATE of CREATE DATABASE."""

    source: str  # the file's path, or the database's name
    operator: Actor


def initialise(url: str) -> Actor:
    """What `counter-tui init` does (schema at head, the site, the administrator), in-process.
    The tests of `init` itself run the real command (tests/core/test_cli.py)."""
    from counter_tui.accounts.service import create_user
    from counter_tui.db import make_engine, write_session
    from counter_tui.schema import upgrade
    from counter_tui.site.service import initialise_node

    engine = make_engine(url, create=True)
    try:
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
    finally:
        engine.dispose()  # no connection may stay: SQLite folds its WAL in, PostgreSQL copies
    return operator


@pytest.fixture(scope="session")
def sqlite_node_template(tmp_path_factory: pytest.TempPathFactory) -> NodeTemplate:
    path = tmp_path_factory.mktemp("node-template") / "counter.db"
    operator = initialise(f"sqlite:///{path}")
    assert not path.with_name(path.name + "-wal").exists()  # the file alone is the database
    return NodeTemplate(source=str(path), operator=operator)


@pytest.fixture(scope="session")
def postgres_node_template(pg_server_url: str) -> Iterator[NodeTemplate]:
    from sqlalchemy import make_url

    with postgres_database(pg_server_url) as url:
        operator = initialise(url)
        yield NodeTemplate(source=str(make_url(url).database), operator=operator)


@pytest.fixture
def node(db_kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Node]:
    """What `counter-tui init` leaves behind, on each engine: a copy of the session's template
    (a file copy; CREATE DATABASE … TEMPLATE), not migrated and initialised again per test."""
    from counter_tui.db import make_engine

    # A copy is a database of its own: the empty one of `db_url` and `engine` is another.
    assert not {"db_url", "engine"} & set(request.fixturenames), "use node.url, node.engine"
    template: NodeTemplate = request.getfixturevalue(f"{db_kind}_node_template")
    with ExitStack() as stack:
        if db_kind == "sqlite":
            path = tmp_path / "counter.db"
            shutil.copyfile(template.source, path)
            url = f"sqlite:///{path}"
        else:
            server = request.getfixturevalue("pg_server_url")
            url = stack.enter_context(postgres_database(server, template=template.source))
        engine = make_engine(url, create=True)
        stack.callback(engine.dispose)
        yield Node(url=url, engine=engine, operator=template.operator)


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
    return cli_in(tmp_path)


def cli_in(folder: Path) -> Cli:
    """A `Cli` whose home and working folder are under `folder`."""
    home = folder / "home"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "PYTHONIOENCODING": "utf-8",
        TEST_HASHING_VARIABLE: "1",  # the same cheap hashes as in-process: no surprise rehash
        "HOME": str(home),
        # The code under test, wherever it is imported from here (a worktree, not an install).
        "PYTHONPATH": str(Path(counter_tui.__file__).resolve().parents[1]),
    }
    if "PYTHONPATH" in os.environ:  # a worktree's src/ must win over an installed copy
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        env[name] = str(home / name.lower())
    home.mkdir()
    work = folder / "work"
    work.mkdir()
    return Cli(env=env, cwd=work)


# --- a node made by the real `counter-tui init`, once per session and engine ------------------

INIT_SITE_NAME = "测试站"


def init_by_command(folder: Path, db: str) -> None:
    """`counter-tui init` on `db`, as an administrator runs it (the password from a file)."""
    secret = folder / "init-password.txt"
    secret.write_text(ADMIN_PASSWORD + "\n", encoding="utf-8")
    ran = cli_in(folder)(
        "init", "--site", SITE, "--name", INIT_SITE_NAME, "--password-file", secret, db=db
    )
    assert ran.code == 0, ran.err


@pytest.fixture(scope="session")
def sqlite_init_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("init-template")
    path = folder / "node.db"
    init_by_command(folder, str(path))
    assert not path.with_name(path.name + "-wal").exists()  # the file alone is the database
    return path


@pytest.fixture(scope="session")
def postgres_init_template(
    pg_server_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    from sqlalchemy import make_url

    with postgres_database(pg_server_url) as url:
        init_by_command(tmp_path_factory.mktemp("init-template"), url)
        yield str(make_url(url).database)


@pytest.fixture
def init_file(sqlite_init_template: Path, tmp_path: Path) -> Path:
    """A SQLite node file as `counter-tui init` leaves it (a copy of the session's)."""
    path = tmp_path / "node.db"
    shutil.copyfile(sqlite_init_template, path)
    return path


@pytest.fixture
def init_url(db_kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a node as `counter-tui init` leaves it, on each engine (a copy of the
    session's: a file copy, or CREATE DATABASE … TEMPLATE)."""
    if db_kind == "sqlite":
        yield f"sqlite:///{request.getfixturevalue('init_file')}"
        return
    template = request.getfixturevalue("postgres_init_template")
    with postgres_database(request.getfixturevalue("pg_server_url"), template=template) as url:
        yield url
