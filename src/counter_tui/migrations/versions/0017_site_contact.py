"""site contact: how and when each site last reached the hub, its clock and its app version; a
node's copy of its events the hub holds quarantined; who resolved a sync problem and how

Revision ID: 0017_site_contact
Revises: 0016_sync_devices
Create Date: 2026-12-07 12:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0017_site_contact"
down_revision: str | None = "0016_sync_devices"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_str = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    with op.batch_alter_table("hub_site") as batch:
        batch.add_column(
            sa.Column("contact_via", _str(length=8), nullable=False, server_default="")
        )
        batch.add_column(sa.Column("clock_offset_ms", sa.BigInteger(), nullable=True))
        batch.add_column(
            sa.Column("app_version", _str(length=64), nullable=False, server_default="")
        )
    with op.batch_alter_table("sync_link") as batch:
        batch.add_column(sa.Column("hub_quarantine", _str(), nullable=False, server_default="[]"))
        batch.add_column(
            sa.Column("hub_quarantine_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
    with op.batch_alter_table("sync_problem") as batch:
        batch.add_column(
            sa.Column("resolved_by", _str(length=128), nullable=False, server_default="")
        )
        batch.add_column(sa.Column("resolution", _str(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("sync_problem") as batch:
        batch.drop_column("resolution")
        batch.drop_column("resolved_by")
    with op.batch_alter_table("sync_link") as batch:
        batch.drop_column("hub_quarantine_at")
        batch.drop_column("hub_quarantine")
    with op.batch_alter_table("hub_site") as batch:
        batch.drop_column("app_version")
        batch.drop_column("clock_offset_ms")
        batch.drop_column("contact_via")
