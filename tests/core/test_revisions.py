"""The program's list of schema revisions must match the migrations it ships."""

from alembic.script import ScriptDirectory

from counter_tui import schema


def test_revision_list_matches_the_shipped_migrations() -> None:
    script = ScriptDirectory.from_config(schema.alembic_config())
    shipped = [rev.revision for rev in reversed(list(script.walk_revisions()))]
    assert list(schema.REVISIONS) == shipped
    assert script.get_current_head() == schema.HEAD
