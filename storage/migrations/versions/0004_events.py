"""events: outreach events with their audiences and organisers

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "event",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("city", sa.String(120), nullable=False),
        sa.Column("country_party_id", sa.Integer(), sa.ForeignKey("party.id"), nullable=True),
        sa.Column("mode", sa.String(20), nullable=False),
        sa.Column("type", sa.String(20), nullable=False),
        sa.Column("iro_involvement", sa.String(20), nullable=False),
        sa.Column("participants", sa.Integer(), nullable=True),
        sa.Column("committee_role", sa.String(20), nullable=True),
        sa.Column("source_url", sa.String(500), nullable=False),
        sa.Column("notes", sa.String(2000), nullable=False),
        sa.Column("deleted_at", UTC_TIMESTAMP, nullable=True),
        sa.Column("created_by", sa.String(120), nullable=False),
        sa.Column("created_at", UTC_TIMESTAMP, nullable=False),
        sa.Column("updated_at", UTC_TIMESTAMP, nullable=False),
        sa.CheckConstraint("end_date >= start_date", name="ck_event_dates"),
        sa.CheckConstraint("mode IN ('in_person', 'virtual', 'hybrid')", name="ck_event_mode"),
        sa.CheckConstraint(
            "type IN ('workshop', 'conference', 'poc_training', 'visit', 'peer_review',"
            " 'roundtable', 'webinar', 'briefing', 'other')",
            name="ck_event_type",
        ),
        sa.CheckConstraint(
            "iro_involvement IN ('organised', 'co_organised', 'involved', 'none')",
            name="ck_event_iro_involvement",
        ),
        sa.CheckConstraint("participants IS NULL OR participants >= 0",
                           name="ck_event_participants"),
        sa.CheckConstraint(
            "committee_role IS NULL OR committee_role IN ('chair', 'member', 'expert')",
            name="ck_event_committee_role",
        ),
    )
    op.create_index("ix_event_start_date", "event", ["start_date"])
    op.create_index("ix_event_country_party_id", "event", ["country_party_id"])
    op.create_table(
        "event_audience",
        sa.Column("event_id", sa.Integer(), sa.ForeignKey("event.id"), primary_key=True),
        sa.Column("audience", sa.String(20), primary_key=True),
        sa.CheckConstraint(
            "audience IN ('states', 'academia', 'industry', 'parliamentarians',"
            " 'civil_society', 'organisations')",
            name="ck_event_audience_audience",
        ),
    )
    op.create_table(
        "event_organiser",
        sa.Column("event_id", sa.Integer(), sa.ForeignKey("event.id"), primary_key=True),
        sa.Column("position", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(20), nullable=False),
    )


def downgrade() -> None:
    for table in ("event_organiser", "event_audience", "event"):
        op.drop_table(table)
