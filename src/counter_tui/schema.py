"""The schema's version: upgrade to head, and refuse a database newer than this program.

Every table is created by a migration (never by `create_all`), so SQLite and PostgreSQL nodes
go through the same steps. Alembic is imported only to upgrade: checking the version is one
SELECT, because the app checks it at every start.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import Engine, MetaData, inspect, text

from counter_tui.errors import UserError

if TYPE_CHECKING:
    from alembic.config import Config

#: Every migration this program ships, oldest first; the last is the head. A test checks this
#: against Alembic's script directory, so a new migration cannot be forgotten here.
REVISIONS = (
    "0001",
    "0002",
    "0003",
    "0004",
    "0005",
    "0006",
    "0007",
    "0008",
    "0009",
    "0010",
    "0011",
    "0012_ratings",
    "0013_hard_cases",
    "0014_report_indexes",
    "0015_sync_keys",
    "0016_sync_devices",
)
HEAD = REVISIONS[-1]

#: Modules whose tables make up the schema (for autogenerate and the model/migration check).
MODEL_MODULES = (
    "counter_tui.journal.models",
    "counter_tui.site.models",
    "counter_tui.accounts.models",
    "counter_tui.catalog.models",
    "counter_tui.workdays.models",
    "counter_tui.cases.models",
    "counter_tui.queue.models",
    "counter_tui.feedback.models",
    "counter_tui.sync.models",
    "counter_tui.assistance.models",
)


def metadata() -> MetaData:
    from sqlmodel import SQLModel

    for name in MODEL_MODULES:
        importlib.import_module(name)
    return SQLModel.metadata


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", "counter_tui:migrations")
    return cfg


def head_revision() -> str:
    return HEAD


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


@dataclass(frozen=True)
class SchemaState:
    current: str | None
    head: str

    @property
    def at_head(self) -> bool:
        return self.current == self.head


def state(engine: Engine) -> SchemaState:
    """Where the database stands; raises UserError if it was made by a newer counter-tui."""
    current = current_revision(engine)
    if current is not None and current not in REVISIONS:
        raise UserError(
            f"数据库由更新版本的 counter-tui 创建（结构版本 {current}），本程序无法使用；"
            "请升级 counter-tui"
        )
    return SchemaState(current=current, head=HEAD)


def upgrade(engine: Engine) -> SchemaState:
    """Apply every pending migration in one transaction."""
    from alembic import command

    before = state(engine)
    if not before.at_head:
        with engine.begin() as conn:
            cfg = alembic_config()
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    return state(engine)


def require_head(engine: Engine) -> None:
    """For commands that use the data: the schema must be exactly this program's."""
    current = state(engine)
    if current.current is None:
        raise UserError("数据库尚未初始化（请运行 counter-tui init --site 编码 --name 名称）")
    if not current.at_head:
        raise UserError("数据库结构版本较旧，请先运行 counter-tui db upgrade（建议先 db backup）")
