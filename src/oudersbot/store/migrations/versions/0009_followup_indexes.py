"""follow-up indexes: a school's deliveries by status, a child's guardians

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 18:05:00.000000

The liaison's list asks for a school's unconfirmed deliveries (without this index SQLite reads
every delivery the school ever had) and for the guardians of each child on a slip (without it
SQLite builds a temporary index over every school's guardian_child rows on each call).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_delivery_school_status", "delivery", ["school_id", "status"])
    op.create_index("ix_guardian_child_child_id", "guardian_child", ["child_id"])


def downgrade() -> None:
    op.drop_index("ix_guardian_child_child_id", table_name="guardian_child")
    op.drop_index("ix_delivery_school_status", table_name="delivery")
