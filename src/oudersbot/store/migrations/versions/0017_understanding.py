"""understanding: a parent's 'Begrepen' / 'Uitleg graag' under a school message

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05 09:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "understanding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("guardian_id", sa.Integer(), nullable=False),
        sa.Column("reaction", sa.String(length=16), nullable=False),
        sa.Column("first_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("tapped_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("taps", sa.Integer(), nullable=False),
        sa.Column("explain_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("explained_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("explained_by", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["school_id"], ["school.id"], name="fk_understanding_school_id_school"
        ),
        sa.ForeignKeyConstraint(
            ["message_id"], ["message.id"], name="fk_understanding_message_id_message"
        ),
        sa.ForeignKeyConstraint(
            ["guardian_id"], ["guardian.id"], name="fk_understanding_guardian_id_guardian"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_understanding"),
        sa.UniqueConstraint(
            "message_id", "guardian_id", name="uq_understanding_message_id_guardian_id"
        ),
    )
    op.create_index("ix_understanding_school_id", "understanding", ["school_id"])
    op.create_index("ix_understanding_guardian_id", "understanding", ["guardian_id"])


def downgrade() -> None:
    op.drop_index("ix_understanding_guardian_id", table_name="understanding")
    op.drop_index("ix_understanding_school_id", table_name="understanding")
    op.drop_table("understanding")
