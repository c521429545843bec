"""catalog versions and node level

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 02:44:54.436942
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "catalog_version",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("label", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("digest", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("imported_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("imported_by", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("items", sa.Integer(), nullable=False),
        sa.Column("bundles", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("number"),
    )
    with op.batch_alter_table("catalog_version", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_catalog_version_active"), ["active"], unique=False)
        batch_op.create_index(batch_op.f("ix_catalog_version_digest"), ["digest"], unique=False)

    op.create_table(
        "catalog_department",
        sa.Column("version_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("uscc", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("phone", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["catalog_version.id"],
        ),
        sa.PrimaryKeyConstraint("version_id", "code"),
    )
    op.create_table(
        "catalog_entry",
        sa.Column("version_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("department", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("levels", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("instant", sa.Boolean(), nullable=False),
        sa.Column("doc", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("keys", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["catalog_version.id"],
        ),
        sa.PrimaryKeyConstraint("version_id", "code"),
    )
    with op.batch_alter_table("catalog_entry", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_catalog_entry_department"), ["department"], unique=False
        )

    op.create_table(
        "catalog_kind",
        sa.Column("version_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["catalog_version.id"],
        ),
        sa.PrimaryKeyConstraint("version_id", "code"),
    )
    with op.batch_alter_table("node", schema=None) as batch_op:
        # Nodes made before levels existed were county halls.
        batch_op.add_column(
            sa.Column(
                "level",
                sqlmodel.sql.sqltypes.AutoString(length=8),
                nullable=False,
                server_default="county",
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("node", schema=None) as batch_op:
        batch_op.drop_column("level")

    op.drop_table("catalog_kind")
    with op.batch_alter_table("catalog_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_catalog_entry_department"))

    op.drop_table("catalog_entry")
    op.drop_table("catalog_department")
    with op.batch_alter_table("catalog_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_catalog_version_digest"))
        batch_op.drop_index(batch_op.f("ix_catalog_version_active"))

    op.drop_table("catalog_version")
