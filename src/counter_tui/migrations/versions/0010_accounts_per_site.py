"""accounts per site: a user name is unique within its site, not across the database

A hub holds the accounts of every site it serves, and two villages may each have a user `li`:
`user_account` is unique on (site, username) instead of username, and `unknown_login` (failed
sign-ins under names without an account) is keyed by (site, username) too. Rows kept from
before belong to the node's own site (until now a node held no other site's accounts).

Downgrade restores the old keys; it fails if two sites share a user name by then.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 00:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The unnamed UNIQUE (username) of 0001 gets this name while SQLite's batch mode copies the
#: table, so that it can be dropped; PostgreSQL named it itself (found by reflection).
_NAMING = {"uq": "uq_%(table_name)s_%(column_0_name)s"}
_SITE_USERNAME = "uq_user_account_site_username"


def _unique_on(table: str, columns: list[str]) -> str:
    """The name of the UNIQUE constraint of `table` over exactly `columns`."""
    for found in sa.inspect(op.get_bind()).get_unique_constraints(table):
        if found["column_names"] == columns:
            return found["name"] or _NAMING["uq"] % {
                "table_name": table,
                "column_0_name": columns[0],
            }
    raise LookupError(f"no unique constraint on {table}{tuple(columns)}")


def _rekey_unknown_login(columns: list[sa.schema.SchemaItem], select: str) -> None:
    """Rebuild `unknown_login` with `columns` (its key changes, which neither engine does in
    place), copying its rows with `select`."""
    op.create_table("unknown_login_next", *columns)
    op.execute(f"INSERT INTO unknown_login_next {select}")
    op.drop_table("unknown_login")
    op.rename_table("unknown_login_next", "unknown_login")


def upgrade() -> None:
    old = _unique_on("user_account", ["username"])
    with op.batch_alter_table("user_account", naming_convention=_NAMING) as batch_op:
        batch_op.drop_constraint(old, type_="unique")
        batch_op.create_unique_constraint(_SITE_USERNAME, ["site", "username"])

    _rekey_unknown_login(
        [
            sa.Column("site", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
            sa.Column("username", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
            sa.Column("failed_logins", sa.Integer(), nullable=False),
            sa.Column("locked_until", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
            sa.PrimaryKeyConstraint("site", "username", name="pk_unknown_login"),
        ],
        # A database never initialised has no node and no row to copy.
        "(site, username, failed_logins, locked_until) "
        "SELECT node.site, u.username, u.failed_logins, u.locked_until "
        "FROM unknown_login u JOIN node ON node.id = 1",
    )


def downgrade() -> None:
    _rekey_unknown_login(
        [
            sa.Column("username", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
            sa.Column("failed_logins", sa.Integer(), nullable=False),
            sa.Column("locked_until", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
            sa.PrimaryKeyConstraint("username", name="unknown_login_pkey"),
        ],
        "(username, failed_logins, locked_until) "
        "SELECT u.username, MAX(u.failed_logins), MAX(u.locked_until) "
        "FROM unknown_login u GROUP BY u.username",
    )
    with op.batch_alter_table("user_account", naming_convention=_NAMING) as batch_op:
        batch_op.drop_constraint(_SITE_USERNAME, type_="unique")
        batch_op.create_unique_constraint("uq_user_account_username", ["username"])
