"""peer reviews as one record of several States, action plans in preparation with their
milestones, and the region a regional 1540 coordinator covers (poc_region; seed paper,
4.6, 4.7 and 6)

Revision ID: 0016
Revises: 0013
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_TIMESTAMP = sa.DateTime(timezone=True)
OPEN = "closed_on IS NULL"


def _peer_reviews() -> None:
    op.create_table(
        "peer_review",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("from_year", sa.Integer(), nullable=False),
        sa.Column("to_year", sa.Integer(), nullable=False),
        sa.Column("notes", sa.String(2000), nullable=False),
        sa.Column("created_at", UTC_TIMESTAMP, nullable=False),
        sa.Column("updated_at", UTC_TIMESTAMP, nullable=False),
        sa.CheckConstraint("to_year >= from_year", name="ck_peer_review_years"),
        sa.CheckConstraint("from_year >= 2004", name="ck_peer_review_from_year"),
    )
    op.create_index("ix_peer_review_from_year", "peer_review", ["from_year"])
    op.create_table(
        "peer_review_state",
        sa.Column("review_id", sa.Integer(), sa.ForeignKey("peer_review.id"),
                  primary_key=True),
        sa.Column("position", sa.Integer(), primary_key=True),
        sa.Column("party_id", sa.Integer(), sa.ForeignKey("party.id"), nullable=False),
        sa.UniqueConstraint("review_id", "party_id"),
    )
    op.create_index("ix_peer_review_state_party_id", "peer_review_state", ["party_id"])
    op.create_table(
        "peer_review_supporter",
        sa.Column("review_id", sa.Integer(), sa.ForeignKey("peer_review.id"),
                  primary_key=True),
        sa.Column("position", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(20), nullable=False),
    )
    op.create_table(
        "peer_review_event",
        sa.Column("review_id", sa.Integer(), sa.ForeignKey("peer_review.id"), nullable=False),
        sa.Column("event_id", sa.Integer(), sa.ForeignKey("event.id"), primary_key=True),
    )
    op.create_index("ix_peer_review_event_review_id", "peer_review_event", ["review_id"])


def _action_plans() -> None:
    op.create_table(
        "action_plan_draft",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("party_id", sa.Integer(), sa.ForeignKey("party.id"), nullable=False),
        sa.Column("supported_by", sa.String(20), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("outcome", sa.String(20), nullable=True),
        sa.Column("submission_id", sa.Integer(), sa.ForeignKey("submission.id"),
                  nullable=True),
        sa.Column("note", sa.String(1000), nullable=False),
        sa.Column("created_at", UTC_TIMESTAMP, nullable=False),
        sa.CheckConstraint("outcome IS NULL OR outcome IN ('submitted', 'discontinued')",
                           name="ck_action_plan_draft_outcome"),
        sa.CheckConstraint("(closed_on IS NULL) = (outcome IS NULL)",
                           name="ck_action_plan_draft_closed"),
        sa.CheckConstraint("closed_on IS NULL OR closed_on >= opened_on",
                           name="ck_action_plan_draft_dates"),
    )
    op.create_index("ix_action_plan_draft_party_id", "action_plan_draft", ["party_id"])
    op.create_index("ux_action_plan_draft_open", "action_plan_draft", ["party_id"],
                    unique=True, sqlite_where=sa.text(OPEN), postgresql_where=sa.text(OPEN))
    op.create_table(
        "action_plan_milestone",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("draft_id", sa.Integer(), sa.ForeignKey("action_plan_draft.id"),
                  nullable=False),
        sa.Column("reached_on", sa.Date(), nullable=False),
        sa.Column("text", sa.String(500), nullable=False),
    )
    op.create_index("ix_action_plan_milestone_draft_id", "action_plan_milestone",
                    ["draft_id"])


def upgrade() -> None:
    _peer_reviews()
    _action_plans()
    op.create_table(
        "poc_region",
        sa.Column("poc_id", sa.Integer(), sa.ForeignKey("poc.id"), primary_key=True),
        sa.Column("region", sa.String(120), nullable=False),
    )


def downgrade() -> None:
    for table in ("poc_region", "action_plan_milestone", "action_plan_draft", "peer_review_event",
                  "peer_review_supporter", "peer_review_state", "peer_review"):
        op.drop_table(table)
