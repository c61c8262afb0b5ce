"""trainings: the region each Point of Contact training course served, and who attended

Two tables beside the event (seed paper, section 4.4): training_course holds the region of a
poc_training event (a controlled list, storage.trainings.TrainingRegion), training_attendance
the PoCs who attended it (and so, through the PoC, their States).

Revision ID: 0017
Revises: 0013
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_TIMESTAMP = sa.DateTime(timezone=True)
REGIONS = ("'latin_america', 'caricom', 'osce', 'asia_pacific', 'african_union', 'other'")


def upgrade() -> None:
    op.create_table(
        "training_course",
        sa.Column("event_id", sa.Integer(), sa.ForeignKey("event.id"), primary_key=True),
        sa.Column("region", sa.String(20), nullable=False),
        sa.Column("updated_at", UTC_TIMESTAMP, nullable=False),
        sa.CheckConstraint(f"region IN ({REGIONS})", name="ck_training_course_region"),
    )
    op.create_table(
        "training_attendance",
        sa.Column("event_id", sa.Integer(), sa.ForeignKey("event.id"), primary_key=True),
        sa.Column("poc_id", sa.Integer(), sa.ForeignKey("poc.id"), primary_key=True),
        sa.Column("created_at", UTC_TIMESTAMP, nullable=False),
    )
    op.create_index("ix_training_attendance_poc_id", "training_attendance", ["poc_id"])


def downgrade() -> None:
    op.drop_index("ix_training_attendance_poc_id", table_name="training_attendance")
    op.drop_table("training_attendance")
    op.drop_table("training_course")
