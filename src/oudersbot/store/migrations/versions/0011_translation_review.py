"""translation review: the vertaler role's languages, a school's second reader, the reviews

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 08:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("school", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "translation_second_reader",
                sa.Boolean(),
                server_default=sa.false(),
                nullable=False,
            )
        )
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reads", sa.String(length=120), nullable=True))
    op.create_table(
        "translation_review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("item_id", sa.String(length=64), nullable=False),
        sa.Column("language", sa.String(length=35), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=True),
        sa.Column("verdict", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["school_id"], ["school.id"], name="fk_translation_review_school_id_school"
        ),
        sa.ForeignKeyConstraint(
            ["reviewer_id"],
            ["staff.id"],
            name="fk_translation_review_reviewer_id_staff",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_translation_review"),
    )
    op.create_index(
        "ix_translation_review_school_id_language",
        "translation_review",
        ["school_id", "language"],
    )


def downgrade() -> None:
    op.drop_index("ix_translation_review_school_id_language", table_name="translation_review")
    op.drop_table("translation_review")
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.drop_column("reads")
    with op.batch_alter_table("school", schema=None) as batch_op:
        batch_op.drop_column("translation_second_reader")
