"""school data: the school's own ids, leavers, /stop, per-child outcomes, retention, audit log

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 06:30:00.000000

A child's first name within a class, and a guardian's name within a school, are no longer
unique: two children called Adam in one class are two children. The school's own pupil and
parent ids are unique where they are given.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("school", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("silent_after_slips", sa.Integer(), server_default="3", nullable=False)
        )
        batch_op.add_column(
            sa.Column("keep_leavers_years", sa.Integer(), server_default="1", nullable=False)
        )
        batch_op.add_column(
            sa.Column("keep_history_years", sa.Integer(), server_default="2", nullable=False)
        )
    with op.batch_alter_table("child", schema=None) as batch_op:
        batch_op.add_column(sa.Column("external_id", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("left_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.drop_constraint("uq_child_group_id_first_name", type_="unique")
        batch_op.create_unique_constraint(
            "uq_child_school_id_external_id", ["school_id", "external_id"]
        )
        batch_op.create_index("ix_child_group_id_first_name", ["group_id", "first_name"])
    with op.batch_alter_table("guardian", schema=None) as batch_op:
        batch_op.add_column(sa.Column("external_id", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("stopped_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("left_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.drop_constraint("uq_guardian_school_id_name", type_="unique")
        batch_op.create_unique_constraint(
            "uq_guardian_school_id_external_id", ["school_id", "external_id"]
        )
        batch_op.create_index("ix_guardian_school_id_name", ["school_id", "name"])
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.add_column(sa.Column("child_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_follow_up_child_id_child", "child", ["child_id"], ["id"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=48), nullable=False),
        sa.Column("subject", sa.String(length=64), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["school_id"], ["school.id"], name="fk_audit_log_school_id_school"),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
    )
    op.create_index("ix_audit_log_school_id_at", "audit_log", ["school_id", "at"])


def downgrade() -> None:
    op.drop_index("ix_audit_log_school_id_at", table_name="audit_log")
    op.drop_table("audit_log")
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.drop_constraint("fk_follow_up_child_id_child", type_="foreignkey")
        batch_op.drop_column("child_id")
    with op.batch_alter_table("guardian", schema=None) as batch_op:
        batch_op.drop_index("ix_guardian_school_id_name")
        batch_op.drop_constraint("uq_guardian_school_id_external_id", type_="unique")
        batch_op.create_unique_constraint("uq_guardian_school_id_name", ["school_id", "name"])
        batch_op.drop_column("left_at")
        batch_op.drop_column("stopped_at")
        batch_op.drop_column("external_id")
    with op.batch_alter_table("child", schema=None) as batch_op:
        batch_op.drop_index("ix_child_group_id_first_name")
        batch_op.drop_constraint("uq_child_school_id_external_id", type_="unique")
        batch_op.create_unique_constraint(
            "uq_child_group_id_first_name", ["group_id", "first_name"]
        )
        batch_op.drop_column("left_at")
        batch_op.drop_column("external_id")
    with op.batch_alter_table("school", schema=None) as batch_op:
        batch_op.drop_column("keep_history_years")
        batch_op.drop_column("keep_leavers_years")
        batch_op.drop_column("silent_after_slips")
