"""read aloud: voice files per message and language, a guardian's "I prefer to listen"

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05 09:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("guardian", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("prefers_listening", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    with op.batch_alter_table("message", schema=None) as batch_op:
        batch_op.add_column(sa.Column("voice_of", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_message_voice_of_message", "message", ["voice_of"], ["id"])
    op.create_table(
        "voice_rendition",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=35), nullable=False),
        sa.Column("voice", sa.String(length=32), nullable=False),
        sa.Column("ogg", sa.LargeBinary(), nullable=False),
        sa.Column("duration_ms", sa.Integer(), nullable=False),
        sa.Column("file_ids", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["message_id"], ["message.id"], name="fk_voice_rendition_message_id_message"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_voice_rendition"),
        sa.UniqueConstraint(
            "message_id", "language", name="uq_voice_rendition_message_id_language"
        ),
    )


def downgrade() -> None:
    op.drop_table("voice_rendition")
    with op.batch_alter_table("message", schema=None) as batch_op:
        batch_op.drop_constraint("fk_message_voice_of_message", type_="foreignkey")
        batch_op.drop_column("voice_of")
    with op.batch_alter_table("guardian", schema=None) as batch_op:
        batch_op.drop_column("prefers_listening")
