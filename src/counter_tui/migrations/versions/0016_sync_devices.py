"""sync devices: a site's replaced devices at the hub (a fork is told, not "invalid token"); a
node's restore in progress

Revision ID: 0016_sync_devices
Revises: 0015_sync_keys
Create Date: 2026-12-07 12:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0016_sync_devices"
down_revision: str | None = "0015_sync_keys"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_str = sqlmodel.sql.sqltypes.AutoString
_time = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "sync_device",
        sa.Column("id", _str(length=36), nullable=False),
        sa.Column("site", _str(length=64), nullable=False),
        sa.Column("token_hash", _str(length=64), nullable=False),
        sa.Column("public_key", _str(length=64), nullable=False),
        sa.Column("registered_at", _time(), nullable=True),
        sa.Column("retired_at", _time(), nullable=False),
        sa.Column("last_seen_at", _time(), nullable=True),
        sa.Column("refused_events", sa.Integer(), nullable=False),
        sa.Column("problem_id", _str(length=36), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    with op.batch_alter_table("sync_device", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sync_device_site"), ["site"], unique=False)
    with op.batch_alter_table("sync_link", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("restoring", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("sync_link", schema=None) as batch_op:
        batch_op.drop_column("restoring")
    with op.batch_alter_table("sync_device", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sync_device_site"))
    op.drop_table("sync_device")
