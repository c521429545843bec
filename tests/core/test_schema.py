"""The schema: every table comes from a migration, the models agree with the migrations on both
engines, and a database written by a newer counter-tui is refused rather than damaged."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect

from counter_tui import schema
from counter_tui.errors import UserError
from tests.core.helpers import execute

NEWER = "9999_from_the_future"


def test_upgrade_takes_an_empty_database_to_head(engine: Engine) -> None:
    assert schema.state(engine).current is None
    with pytest.raises(UserError, match="尚未初始化"):
        schema.require_head(engine)

    after = schema.upgrade(engine)

    assert after.at_head and after.current == schema.head_revision()
    schema.require_head(engine)
    tables = set(inspect(engine).get_table_names())
    assert {t.name for t in schema.metadata().sorted_tables} <= tables
    assert schema.upgrade(engine) == after  # a second upgrade changes nothing


def test_the_models_match_the_migrations(engine: Engine) -> None:
    schema.upgrade(engine)

    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, schema.metadata())

    assert differences == []


def test_a_database_from_a_newer_version_is_refused_untouched(engine: Engine) -> None:
    schema.upgrade(engine)
    execute(engine, "UPDATE alembic_version SET version_num = :v", v=NEWER)

    for attempt in (schema.state, schema.upgrade, schema.require_head):
        with pytest.raises(UserError) as refused:
            attempt(engine)
        assert refused.value.message == (
            f"数据库由更新版本的 counter-tui 创建（结构版本 {NEWER}），本程序无法使用；"
            "请升级 counter-tui"
        )

    assert schema.current_revision(engine) == NEWER
