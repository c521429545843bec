"""sync keys: this database's Ed25519 key pair (node_key), each site's public key at the hub,
the hub's public key at the node, and when the newest reply bundle was made (sync by file)

Revision ID: 0015_sync_keys
Revises: 0014_report_indexes
Create Date: 2026-12-07 12:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0015_sync_keys"
# The head on i17/files; the merger rechains it if another issue-17 migration lands first.
down_revision: str | None = "0014_report_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "node_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("private_key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("public_key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("hub_site") as batch:
        batch.add_column(
            sa.Column(
                "public_key",
                sqlmodel.sql.sqltypes.AutoString(length=64),
                nullable=False,
                server_default="",
            )
        )
    with op.batch_alter_table("sync_link") as batch:
        batch.add_column(
            sa.Column(
                "hub_public_key",
                sqlmodel.sql.sqltypes.AutoString(length=64),
                nullable=False,
                server_default="",
            )
        )
        batch.add_column(
            sa.Column("reply_made_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("sync_link") as batch:
        batch.drop_column("reply_made_at")
        batch.drop_column("hub_public_key")
    with op.batch_alter_table("hub_site") as batch:
        batch.drop_column("public_key")
    op.drop_table("node_key")
