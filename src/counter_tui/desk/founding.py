"""Founding a node: the schema, the site and its first administrator, in one go (`init`).

There is no `Desk` yet (a desk opens an initialised node), so this takes the engine the caller
opened on the empty database.
"""

from __future__ import annotations

from sqlalchemy import Engine

from counter_tui.accounts.service import create_user
from counter_tui.db import write_session
from counter_tui.errors import UserError
from counter_tui.schema import state as schema_state
from counter_tui.schema import upgrade
from counter_tui.settings import Settings
from counter_tui.site.service import initialise_node
from counter_tui.workdays.service import ensure_seeded


def found_node(
    engine: Engine,
    settings: Settings,
    *,
    site: str,
    name: str,
    admin: str,
    password: str,
    level: str,
) -> None:
    """Create the schema, the site (`settings.demo` marks a training node) and administrator
    `admin`; refuses a database that already has a schema."""
    if schema_state(engine).current is not None:
        raise UserError(f"数据库已经初始化过：{settings.db_url}")
    upgrade(engine)
    with write_session(engine) as session:
        operator = initialise_node(session, site=site, name=name, demo=settings.demo, level=level)
        create_user(
            session,
            operator,
            username=admin,
            display_name="管理员",
            role="admin",
            password=password,
        )
        # Due dates need the working-day calendar from the first case on.
        ensure_seeded(session, operator)
