"""report indexes: cases by acceptance and by completion time, covering what the reports group
by, so a month's figures read a month of index and not a million cases (bench report)

Revision ID: 0014_report_indexes
Revises: 0013_hard_cases
Create Date: 2026-12-10 12:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0014_report_indexes"
# The head on i16/reports; the merger rechains it after 0013_hard_cases if that lands first.
down_revision: str | None = "0013_hard_cases"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_cases_accepted_report", "cases", ["accepted_at", "site", "department", "clerk"]
    )
    op.create_index(
        "ix_cases_completed_report",
        "cases",
        ["completed_at", "site", "department", "clerk", "due", "trips"],
    )


def downgrade() -> None:
    op.drop_index("ix_cases_completed_report", table_name="cases")
    op.drop_index("ix_cases_accepted_report", table_name="cases")
