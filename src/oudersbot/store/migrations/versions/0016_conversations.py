"""conversations: a parent's messages and the staff's answers, the staff's copies, a school's
answer time

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05 09:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("school", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("answer_within_hours", sa.Integer(), server_default="24", nullable=False)
        )
    op.create_table(
        "conversation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("guardian_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("waiting_since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_message_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["guardian_id"], ["guardian.id"], name="fk_conversation_guardian_id_guardian"
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["school.id"], name="fk_conversation_school_id_school"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_conversation"),
        sa.UniqueConstraint(
            "school_id", "guardian_id", name="uq_conversation_school_id_guardian_id"
        ),
    )
    op.create_index("ix_conversation_guardian_id", "conversation", ["guardian_id"])
    op.create_index("ix_conversation_school_id_status", "conversation", ["school_id", "status"])
    op.create_table(
        "conversation_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("guardian_id", sa.Integer(), nullable=False),
        sa.Column("direction", sa.String(length=8), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("language", sa.String(length=35), nullable=False),
        sa.Column("translated", sa.Text(), nullable=True),
        sa.Column("file_id", sa.String(length=255), nullable=True),
        sa.Column("child_ids", sa.JSON(), nullable=False),
        sa.Column("slip_id", sa.Integer(), nullable=True),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("staff_name", sa.String(length=200), nullable=True),
        sa.Column("outbox_message_id", sa.Integer(), nullable=True),
        sa.Column("telegram_message_id", sa.BigInteger(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversation.id"],
            name="fk_conversation_message_conversation_id_conversation",
        ),
        sa.ForeignKeyConstraint(
            ["guardian_id"], ["guardian.id"], name="fk_conversation_message_guardian_id_guardian"
        ),
        sa.ForeignKeyConstraint(
            ["outbox_message_id"],
            ["message.id"],
            name="fk_conversation_message_outbox_message_id_message",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["school.id"], name="fk_conversation_message_school_id_school"
        ),
        sa.ForeignKeyConstraint(
            ["slip_id"], ["message.id"], name="fk_conversation_message_slip_id_message"
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
            name="fk_conversation_message_staff_id_staff",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_conversation_message"),
        sa.UniqueConstraint(
            "conversation_id",
            "telegram_message_id",
            "direction",
            name="uq_conversation_message_telegram",
        ),
    )
    op.create_index(
        "ix_conversation_message_conversation_id", "conversation_message", ["conversation_id"]
    )
    op.create_index("ix_conversation_message_guardian_id", "conversation_message", ["guardian_id"])
    op.create_index("ix_conversation_message_school_id", "conversation_message", ["school_id"])
    op.create_table(
        "conversation_notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("conversation_message_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("telegram_message_id", sa.BigInteger(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["conversation_message_id"],
            ["conversation_message.id"],
            name="fk_conversation_notice_message",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["school.id"], name="fk_conversation_notice_school_id_school"
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name="fk_conversation_notice_staff_id_staff"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_conversation_notice"),
        sa.UniqueConstraint(
            "chat_id",
            "telegram_message_id",
            name="uq_conversation_notice_chat_id_telegram_message_id",
        ),
    )
    op.create_index(
        "ix_conversation_notice_conversation_message_id",
        "conversation_notice",
        ["conversation_message_id"],
    )
    op.create_index("ix_conversation_notice_school_id", "conversation_notice", ["school_id"])
    op.create_index("ix_conversation_notice_staff_id", "conversation_notice", ["staff_id"])


def downgrade() -> None:
    op.drop_table("conversation_notice")
    op.drop_table("conversation_message")
    op.drop_table("conversation")
    with op.batch_alter_table("school", schema=None) as batch_op:
        batch_op.drop_column("answer_within_hours")
