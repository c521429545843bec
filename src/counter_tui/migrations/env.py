"""Alembic environment: runs on the connection handed over by counter_tui.schema."""

from alembic import context

from counter_tui.schema import metadata

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # `alembic revision --autogenerate` from a developer's shell
    from counter_tui.db import make_engine

    engine = make_engine(
        config.get_main_option("sqlalchemy.url") or "sqlite:///dev.db", create=True
    )
    connection = engine.connect()

context.configure(
    connection=connection,
    target_metadata=metadata(),
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
