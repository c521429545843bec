"""The schema: every table comes from a migration, the models agree with the migrations on both
engines, and a database written by a newer counter-tui is refused rather than damaged."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import IntegrityError

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


def _migrate(engine: Engine, verb: str, revision: str) -> None:
    from alembic import command

    with engine.begin() as conn:
        cfg = schema.alembic_config()
        cfg.attributes["connection"] = conn
        getattr(command, verb)(cfg, revision)


def test_accounts_become_unique_per_site_and_keep_their_rows(engine: Engine) -> None:
    """0010: what a node held before (its own site's accounts and failed sign-ins under unknown
    names) is kept, under the node's site; then a second site may reuse a user name, and the
    downgrade gives the old keys back."""
    _migrate(engine, "upgrade", "0008")
    execute(
        engine,
        "INSERT INTO node (id, site, demo, level, created_at) "
        "VALUES (1, '421202-XA-BYQ', false, 'county', '2026-12-01 08:00:00')",
    )
    account = (
        "INSERT INTO user_account (id, username, display_name, role, site, password_hash, "
        "disabled, failed_logins, created_at) VALUES (:id, 'li', '李四', 'clerk', :site, 'h', "
        "false, 0, '2026-12-01 08:00:00')"
    )
    execute(engine, account, id="u1", site="421202-XA-BYQ")
    execute(
        engine,
        "INSERT INTO unknown_login (username, failed_logins) VALUES ('ghost', 3)",
    )
    with pytest.raises(IntegrityError):  # before: one `li` per database
        execute(engine, account, id="u2", site="421202-XA-DHC")

    schema.upgrade(engine)

    execute(engine, account, id="u2", site="421202-XA-DHC")
    with pytest.raises(IntegrityError):  # still one `li` per site
        execute(engine, account, id="u3", site="421202-XA-DHC")
    with engine.connect() as conn:
        probes = conn.execute(text("SELECT site, username, failed_logins FROM unknown_login"))
        assert [tuple(row) for row in probes] == [("421202-XA-BYQ", "ghost", 3)]

    execute(engine, "DELETE FROM user_account WHERE id = 'u2'")
    _migrate(engine, "downgrade", "0008")

    with pytest.raises(IntegrityError):
        execute(engine, account, id="u2", site="421202-XA-DHC")
    with engine.connect() as conn:
        probes = conn.execute(text("SELECT username, failed_logins FROM unknown_login"))
        assert [tuple(row) for row in probes] == [("ghost", 3)]
