"""one door into the outbox: dedupe keys, kinds, bots, parts sent, sender leases

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 18:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("school", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("bot", sa.String(length=64), server_default="main", nullable=False)
        )
    with op.batch_alter_table("message", schema=None) as batch_op:
        batch_op.add_column(sa.Column("dedupe_key", sa.String(length=200), nullable=True))
        batch_op.create_unique_constraint(
            "uq_message_school_id_dedupe_key", ["school_id", "dedupe_key"]
        )
    with op.batch_alter_table("delivery", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=24), server_default="message", nullable=False)
        )
        batch_op.add_column(
            sa.Column("bot", sa.String(length=64), server_default="main", nullable=False)
        )
        batch_op.add_column(
            sa.Column("parts_sent", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.drop_index("ix_delivery_due")
        batch_op.create_index("ix_delivery_due", ["bot", "status", "next_attempt_at"], unique=False)
    # What the earlier rows were, so the prikkel dose keeps counting them.
    for kind, where in (
        ("prikkel", "kind = 'prikkel' AND COALESCE(created_by, '') <> 'parent:another'"),
        ("prikkel_asked", "kind = 'prikkel' AND created_by = 'parent:another'"),
        ("slip", "kind = 'slip'"),
        ("slip_reminder", "kind = 'reminder' AND reminds_of IS NOT NULL"),
        ("calendar_reminder", "kind = 'reminder' AND reminds_of IS NULL"),
    ):
        op.execute(
            f"UPDATE delivery SET kind = '{kind}' "  # noqa: S608 - constants of this migration
            f"WHERE message_id IN (SELECT id FROM message WHERE {where})"
        )
    op.create_table(
        "sender_lease",
        sa.Column("bot", sa.String(length=64), nullable=False),
        sa.Column("holder", sa.String(length=100), nullable=False),
        sa.Column("host", sa.String(length=255), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("beat_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("bot", name=op.f("pk_sender_lease")),
    )


def downgrade() -> None:
    op.drop_table("sender_lease")
    with op.batch_alter_table("delivery", schema=None) as batch_op:
        batch_op.drop_index("ix_delivery_due")
        batch_op.create_index("ix_delivery_due", ["status", "next_attempt_at"], unique=False)
        batch_op.drop_column("parts_sent")
        batch_op.drop_column("bot")
        batch_op.drop_column("kind")
    with op.batch_alter_table("message", schema=None) as batch_op:
        batch_op.drop_constraint("uq_message_school_id_dedupe_key", type_="unique")
        batch_op.drop_column("dedupe_key")
    with op.batch_alter_table("school", schema=None) as batch_op:
        batch_op.drop_column("bot")
