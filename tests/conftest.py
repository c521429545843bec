"""Fixtures shared by every test: a database on each engine, and an initialised node on it.

`db_url` runs a test twice: on a temporary SQLite file, and on a PostgreSQL database created for
that test alone (dropped afterwards) on the server named by COUNTER_TUI_TEST_PG_URL, e.g.
postgresql+psycopg://counter:counter@127.0.0.1:5432/counter_test (the role needs CREATEDB).
Without that variable the PostgreSQL half is skipped, saying so.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from counter_tui.actor import Actor

PG_URL_VARIABLE = "COUNTER_TUI_TEST_PG_URL"
SITE = "421202-XA-BYQ"
SITE_NAME = "襄城区便民服务室"
ADMIN = "admin"
ADMIN_PASSWORD = "admin-pass-1"

ENGINES = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


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
