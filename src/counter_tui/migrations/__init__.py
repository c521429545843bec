"""Alembic migrations, shipped inside the package and applied by `init` and `db upgrade`."""
