"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-23 06:07:56.513540
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "join_throttle",
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("blocked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("chat_id", name=op.f("pk_join_throttle")),
    )
    op.create_table(
        "school",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_school")),
        sa.UniqueConstraint("slug", name=op.f("uq_school_slug")),
    )
    op.create_table(
        "guardian",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("language", sa.String(length=35), nullable=False),
        sa.Column("language_source", sa.String(length=16), nullable=False),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("chat_id", sa.BigInteger(), nullable=True),
        sa.Column("reachability", sa.String(length=16), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["school_id"], ["school.id"], name=op.f("fk_guardian_school_id_school")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_guardian")),
        sa.UniqueConstraint("school_id", "chat_id", name=op.f("uq_guardian_school_id_chat_id")),
        sa.UniqueConstraint("school_id", "name", name=op.f("uq_guardian_school_id_name")),
    )
    with op.batch_alter_table("guardian", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_guardian_school_id"), ["school_id"], unique=False)

    op.create_table(
        "message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("template_id", sa.String(length=100), nullable=True),
        sa.Column("slots", sa.JSON(), nullable=False),
        sa.Column("text_nl", sa.Text(), nullable=False),
        sa.Column("pictogram", sa.String(length=64), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("audience", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["school_id"], ["school.id"], name=op.f("fk_message_school_id_school")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message")),
    )
    with op.batch_alter_table("message", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_message_school_id"), ["school_id"], unique=False)

    op.create_table(
        "school_group",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["school_id"], ["school.id"], name=op.f("fk_school_group_school_id_school")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_school_group")),
        sa.UniqueConstraint("school_id", "name", name=op.f("uq_school_group_school_id_name")),
    )
    with op.batch_alter_table("school_group", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_school_group_school_id"), ["school_id"], unique=False)

    op.create_table(
        "staff",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("language", sa.String(length=35), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=True),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["school_id"], ["school.id"], name=op.f("fk_staff_school_id_school")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff")),
        sa.UniqueConstraint("school_id", "chat_id", name=op.f("uq_staff_school_id_chat_id")),
        sa.UniqueConstraint("school_id", "name", "role", name=op.f("uq_staff_school_id_name_role")),
    )
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staff_school_id"), ["school_id"], unique=False)

    op.create_table(
        "child",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("first_name", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"], ["school_group.id"], name=op.f("fk_child_group_id_school_group")
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["school.id"], name=op.f("fk_child_school_id_school")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_child")),
        sa.UniqueConstraint("group_id", "first_name", name=op.f("uq_child_group_id_first_name")),
    )
    with op.batch_alter_table("child", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_child_group_id"), ["group_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_child_school_id"), ["school_id"], unique=False)

    op.create_table(
        "inbound_text",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=True),
        sa.Column("guardian_id", sa.Integer(), nullable=True),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["guardian_id"], ["guardian.id"], name=op.f("fk_inbound_text_guardian_id_guardian")
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["school.id"], name=op.f("fk_inbound_text_school_id_school")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbound_text")),
    )
    with op.batch_alter_table("inbound_text", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inbound_text_chat_id"), ["chat_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_inbound_text_guardian_id"), ["guardian_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_inbound_text_school_id"), ["school_id"], unique=False)

    op.create_table(
        "invite",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("guardian_id", sa.Integer(), nullable=True),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("used_by_chat_id", sa.BigInteger(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["guardian_id"], ["guardian.id"], name=op.f("fk_invite_guardian_id_guardian")
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["school.id"], name=op.f("fk_invite_school_id_school")
        ),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], name=op.f("fk_invite_staff_id_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invite")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_invite_code_hash")),
    )
    with op.batch_alter_table("invite", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_invite_guardian_id"), ["guardian_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_invite_school_id"), ["school_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_invite_staff_id"), ["staff_id"], unique=False)

    op.create_table(
        "rendition",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=35), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("parts", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["message_id"], ["message.id"], name=op.f("fk_rendition_message_id_message")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rendition")),
        sa.UniqueConstraint(
            "message_id", "language", name=op.f("uq_rendition_message_id_language")
        ),
    )
    with op.batch_alter_table("rendition", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rendition_message_id"), ["message_id"], unique=False)

    op.create_table(
        "staff_group",
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"], ["school_group.id"], name=op.f("fk_staff_group_group_id_school_group")
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_staff_group_staff_id_staff")
        ),
        sa.PrimaryKeyConstraint("staff_id", "group_id", name=op.f("pk_staff_group")),
    )
    op.create_table(
        "delivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("guardian_id", sa.Integer(), nullable=False),
        sa.Column("rendition_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("telegram_message_id", sa.BigInteger(), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["guardian_id"], ["guardian.id"], name=op.f("fk_delivery_guardian_id_guardian")
        ),
        sa.ForeignKeyConstraint(
            ["message_id"], ["message.id"], name=op.f("fk_delivery_message_id_message")
        ),
        sa.ForeignKeyConstraint(
            ["rendition_id"], ["rendition.id"], name=op.f("fk_delivery_rendition_id_rendition")
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["school.id"], name=op.f("fk_delivery_school_id_school")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery")),
        sa.UniqueConstraint(
            "message_id", "guardian_id", name=op.f("uq_delivery_message_id_guardian_id")
        ),
    )
    with op.batch_alter_table("delivery", schema=None) as batch_op:
        batch_op.create_index("ix_delivery_due", ["status", "next_attempt_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_delivery_guardian_id"), ["guardian_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_delivery_message_id"), ["message_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_delivery_school_id"), ["school_id"], unique=False)

    op.create_table(
        "guardian_child",
        sa.Column("guardian_id", sa.Integer(), nullable=False),
        sa.Column("child_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["child_id"], ["child.id"], name=op.f("fk_guardian_child_child_id_child")
        ),
        sa.ForeignKeyConstraint(
            ["guardian_id"], ["guardian.id"], name=op.f("fk_guardian_child_guardian_id_guardian")
        ),
        sa.PrimaryKeyConstraint("guardian_id", "child_id", name=op.f("pk_guardian_child")),
    )


def downgrade() -> None:

    op.drop_table("guardian_child")
    with op.batch_alter_table("delivery", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_delivery_school_id"))
        batch_op.drop_index(batch_op.f("ix_delivery_message_id"))
        batch_op.drop_index(batch_op.f("ix_delivery_guardian_id"))
        batch_op.drop_index("ix_delivery_due")

    op.drop_table("delivery")
    op.drop_table("staff_group")
    with op.batch_alter_table("rendition", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rendition_message_id"))

    op.drop_table("rendition")
    with op.batch_alter_table("invite", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invite_staff_id"))
        batch_op.drop_index(batch_op.f("ix_invite_school_id"))
        batch_op.drop_index(batch_op.f("ix_invite_guardian_id"))

    op.drop_table("invite")
    with op.batch_alter_table("inbound_text", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inbound_text_school_id"))
        batch_op.drop_index(batch_op.f("ix_inbound_text_guardian_id"))
        batch_op.drop_index(batch_op.f("ix_inbound_text_chat_id"))

    op.drop_table("inbound_text")
    with op.batch_alter_table("child", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_child_school_id"))
        batch_op.drop_index(batch_op.f("ix_child_group_id"))

    op.drop_table("child")
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_school_id"))

    op.drop_table("staff")
    with op.batch_alter_table("school_group", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_school_group_school_id"))

    op.drop_table("school_group")
    with op.batch_alter_table("message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_message_school_id"))

    op.drop_table("message")
    with op.batch_alter_table("guardian", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_guardian_school_id"))

    op.drop_table("guardian")
    op.drop_table("school")
    op.drop_table("join_throttle")
