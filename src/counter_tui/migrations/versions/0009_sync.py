"""sync: the event's local order, subject, audience and status; the sequence; the hub's sites and
enrolment codes; a node's link to its hub; sync problems

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 01:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_str = sqlmodel.sql.sqltypes.AutoString
_time = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("seq", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("subject", _str(length=36), nullable=True))
        batch_op.add_column(sa.Column("audience", _str(length=64), nullable=True))
        batch_op.add_column(
            sa.Column("status", _str(length=12), nullable=False, server_default="applied")
        )
        batch_op.add_column(sa.Column("note", _str(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("received_at", _time(), nullable=True))
    _backfill()
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_seq"), ["seq"], unique=True)
        batch_op.create_index(batch_op.f("ix_event_subject"), ["subject"], unique=False)
        batch_op.create_index(batch_op.f("ix_event_audience"), ["audience"], unique=False)
        batch_op.create_index(batch_op.f("ix_event_status"), ["status"], unique=False)

    op.create_table(
        "journal_sequence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.execute(
        "INSERT INTO journal_sequence (id, last_seq) SELECT 1, COALESCE(MAX(seq), 0) FROM event"
    )
    op.create_table(
        "sync_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hub_url", _str(length=500), nullable=False),
        sa.Column("hub_site", _str(length=64), nullable=False),
        sa.Column("hub_name", _str(length=200), nullable=False),
        sa.Column("token", _str(length=128), nullable=False),
        sa.Column("registered_at", _time(), nullable=False),
        sa.Column("pull_cursor", sa.Integer(), nullable=False),
        sa.Column("pushed_count", sa.Integer(), nullable=False),
        sa.Column("last_success_at", _time(), nullable=True),
        sa.Column("last_attempt_at", _time(), nullable=True),
        sa.Column("last_error", _str(), nullable=False),
        sa.Column("last_error_at", _time(), nullable=True),
        sa.Column("offline_since", _time(), nullable=True),
        sa.Column("hub_offset_ms", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "hub_site",
        sa.Column("site", _str(length=64), nullable=False),
        sa.Column("name", _str(length=200), nullable=False),
        sa.Column("level", _str(length=8), nullable=False),
        sa.Column("token_hash", _str(length=64), nullable=False),
        sa.Column("enrolled_at", _time(), nullable=False),
        sa.Column("registered_at", _time(), nullable=True),
        sa.Column("revoked_at", _time(), nullable=True),
        sa.Column("last_seen_at", _time(), nullable=True),
        sa.PrimaryKeyConstraint("site"),
    )
    with op.batch_alter_table("hub_site", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hub_site_token_hash"), ["token_hash"], unique=False)
    op.create_table(
        "hub_enrolment",
        sa.Column("code_hash", _str(length=64), nullable=False),
        sa.Column("site", _str(length=64), nullable=False),
        sa.Column("created_at", _time(), nullable=False),
        sa.Column("expires_at", _time(), nullable=False),
        sa.Column("used_at", _time(), nullable=True),
        sa.PrimaryKeyConstraint("code_hash"),
    )
    with op.batch_alter_table("hub_enrolment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hub_enrolment_site"), ["site"], unique=False)
    op.create_table(
        "sync_problem",
        sa.Column("id", _str(length=36), nullable=False),
        sa.Column("at", _time(), nullable=False),
        sa.Column("site", _str(length=64), nullable=False),
        sa.Column("event_id", _str(length=36), nullable=False),
        sa.Column("kind", _str(length=16), nullable=False),
        sa.Column("detail", _str(), nullable=False),
        sa.Column("resolved_at", _time(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("sync_problem", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sync_problem_site"), ["site"], unique=False)
    op.create_table(
        "case_rejection",
        sa.Column("event_id", _str(length=36), nullable=False),
        sa.Column("case_id", _str(length=36), nullable=False),
        sa.Column("rejected_event", _str(length=36), nullable=False),
        sa.Column("rejected_type", _str(length=64), nullable=False),
        sa.Column("author", _str(length=128), nullable=False),
        sa.Column("author_site", _str(length=64), nullable=False),
        sa.Column("reason", _str(), nullable=False),
        sa.Column("at", _time(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"]),
        sa.PrimaryKeyConstraint("event_id"),
    )
    with op.batch_alter_table("case_rejection", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_rejection_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_rejection_author"), ["author"], unique=False)


def _backfill() -> None:
    """Existing events get `seq` in the order replay used to apply them (hlc, site, id), their
    subject (payload.case_id) and their audience as sync/routing would set it for a node of one
    site (case events: the case's site, which on a database of one site is the event's)."""
    import json

    from counter_tui.journal.routing import EVERYONE

    conn = op.get_bind()
    rows = conn.execute(
        sa.text("SELECT id, site, type, payload FROM event ORDER BY hlc, site, id")
    ).fetchall()
    updates = []
    for seq, (event_id, site, kind, payload) in enumerate(rows, start=1):
        data = json.loads(payload)
        case_id = data.get("case_id") if isinstance(data, dict) else None
        if kind.startswith(("site.", "catalog.", "calendar.")):
            audience: str | None = EVERYONE
        elif kind.startswith(("queue.", "login.")):
            audience = None
        else:
            audience = site
        updates.append(
            {
                "id": event_id,
                "seq": seq,
                "subject": case_id if isinstance(case_id, str) else None,
                "audience": audience,
            }
        )
    if updates:
        conn.execute(
            sa.text(
                "UPDATE event SET seq = :seq, subject = :subject, audience = :audience"
                " WHERE id = :id"
            ),
            updates,
        )


def downgrade() -> None:
    op.drop_table("case_rejection")
    op.drop_table("sync_problem")
    op.drop_table("hub_enrolment")
    op.drop_table("hub_site")
    op.drop_table("sync_link")
    op.drop_table("journal_sequence")
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_status"))
        batch_op.drop_index(batch_op.f("ix_event_audience"))
        batch_op.drop_index(batch_op.f("ix_event_subject"))
        batch_op.drop_index(batch_op.f("ix_event_seq"))
        batch_op.drop_column("received_at")
        batch_op.drop_column("note")
        batch_op.drop_column("status")
        batch_op.drop_column("audience")
        batch_op.drop_column("subject")
        batch_op.drop_column("seq")
