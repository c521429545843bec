"""ratings (好差评) and their follow-ups (差评整改)

Revision ID: 0012_ratings
Revises: 0011
Create Date: 2026-12-10 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0012_ratings"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    string = sqlmodel.sql.sqltypes.AutoString
    op.create_table(
        "rating",
        sa.Column("id", string(length=36), nullable=False),
        sa.Column("site", string(length=64), nullable=False),
        sa.Column("kind", string(length=8), nullable=False),
        sa.Column("ticket_id", string(length=36), nullable=True),
        sa.Column("case_id", string(length=36), nullable=True),
        sa.Column("case_number", string(length=64), nullable=False),
        sa.Column("channel", string(length=8), nullable=False),
        sa.Column("level", sa.Integer(), nullable=True),
        sa.Column("given", sa.Boolean(), nullable=False),
        sa.Column("reasons", string(), nullable=False),
        sa.Column("comment", string(), nullable=False),
        sa.Column("clerk", string(length=128), nullable=False),
        sa.Column("window", string(length=8), nullable=False),
        sa.Column("department", string(length=64), nullable=False),
        sa.Column("rated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("recorded_by", string(length=128), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_rating_site_rated_at", "rating", ["site", "rated_at"])
    op.create_index("ix_rating_department_rated_at", "rating", ["department", "rated_at"])
    op.create_index(op.f("ix_rating_ticket_id"), "rating", ["ticket_id"])
    op.create_index(op.f("ix_rating_case_id"), "rating", ["case_id"])
    op.create_table(
        "rating_followup",
        sa.Column("rating_id", string(length=36), nullable=False),
        sa.Column("site", string(length=64), nullable=False),
        sa.Column("owner", string(length=64), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("state", string(length=16), nullable=False),
        sa.Column("opened_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("verified_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("verified_by", string(length=128), nullable=False),
        sa.Column("verify_note", string(), nullable=False),
        sa.Column("fixed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("fixed_by", string(length=128), nullable=False),
        sa.Column("fix_note", string(), nullable=False),
        sa.Column("closed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("closed_by", string(length=128), nullable=False),
        sa.Column("close_note", string(), nullable=False),
        sa.Column("appealed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("appealed_by", string(length=128), nullable=False),
        sa.Column("appeal_reason", string(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["rating_id"], ["rating.id"]),
        sa.PrimaryKeyConstraint("rating_id"),
    )
    op.create_index("ix_rating_followup_state_due", "rating_followup", ["site", "state", "due"])


def downgrade() -> None:
    op.drop_index("ix_rating_followup_state_due", table_name="rating_followup")
    op.drop_table("rating_followup")
    op.drop_index(op.f("ix_rating_case_id"), table_name="rating")
    op.drop_index(op.f("ix_rating_ticket_id"), table_name="rating")
    op.drop_index("ix_rating_department_rated_at", table_name="rating")
    op.drop_index("ix_rating_site_rated_at", table_name="rating")
    op.drop_table("rating")
