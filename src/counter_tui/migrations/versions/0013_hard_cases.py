"""hard cases (办不成事) with their coordination requests and steps, and assisted service (帮代办)

Revision ID: 0013_hard_cases
Revises: 0012_ratings
Create Date: 2026-12-07 09:17:45.265734
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0013_hard_cases"
down_revision: str | None = "0012_ratings"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "assist",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("site", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("assistant", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("way", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("for_whom", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("case_number", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("assist", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assist_case_number"), ["case_number"], unique=False)
        batch_op.create_index("ix_assist_site_at", ["site", "at"], unique=False)

    op.create_table(
        "hard_case",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("site", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("number", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("problem", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("applicant_name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("id_type", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("id_number", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("phone", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("origin", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("ticket_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=True),
        sa.Column("ticket_number", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("case_number", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("opened_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("opened_by", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("next_due", sa.Date(), nullable=True),
        sa.Column("outcome", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("explanation", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("concluded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("verdict", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("verdict_note", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("closed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("site", "number", name="uq_hard_case_number"),
    )
    with op.batch_alter_table("hard_case", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hard_case_case_number"), ["case_number"], unique=False)
        batch_op.create_index("ix_hard_case_state_due", ["state", "next_due"], unique=False)

    op.create_table(
        "hard_case_request",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("hard_case_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("department", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("request", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("asked_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("reply", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("replied_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("replied_by", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("supervisions", sa.Integer(), nullable=False),
        sa.Column("supervised_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["hard_case_id"],
            ["hard_case.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("hard_case_request", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_hard_case_request_hard_case_id"), ["hard_case_id"], unique=False
        )

    op.create_table(
        "hard_case_step",
        sa.Column("event_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("hard_case_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("actor", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("department", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(
            ["hard_case_id"],
            ["hard_case.id"],
        ),
        sa.PrimaryKeyConstraint("event_id"),
    )
    with op.batch_alter_table("hard_case_step", schema=None) as batch_op:
        batch_op.create_index("ix_hard_case_step_case", ["hard_case_id", "at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("hard_case_step", schema=None) as batch_op:
        batch_op.drop_index("ix_hard_case_step_case")

    op.drop_table("hard_case_step")
    with op.batch_alter_table("hard_case_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hard_case_request_hard_case_id"))

    op.drop_table("hard_case_request")
    with op.batch_alter_table("hard_case", schema=None) as batch_op:
        batch_op.drop_index("ix_hard_case_state_due")
        batch_op.drop_index(batch_op.f("ix_hard_case_case_number"))

    op.drop_table("hard_case")
    with op.batch_alter_table("assist", schema=None) as batch_op:
        batch_op.drop_index("ix_assist_site_at")
        batch_op.drop_index(batch_op.f("ix_assist_case_number"))

    op.drop_table("assist")
