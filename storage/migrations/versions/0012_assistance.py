"""assistance: requests and their needs and steps, providers and their areas, offers, the
notices staff were given and the switch that lets the service chase

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_TIMESTAMP = sa.DateTime(timezone=True)
AREAS = ("'op3_ab', 'op3_cd', 'op2', 'training', 'outreach', 'legislation', 'equipment',"
         " 'funding', 'other'")


def _request() -> None:
    op.create_table(
        "assistance_request",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("party_id", sa.Integer(), sa.ForeignKey("party.id"), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("reference", sa.String(80), nullable=False),
        sa.Column("summary", sa.String(2000), nullable=False),
        sa.Column("consent_to_publish", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("status_on", sa.Date(), nullable=False),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("maintained_on", sa.Date(), nullable=True),
        sa.Column("confirmed_at", UTC_TIMESTAMP, nullable=True),
        sa.Column("created_at", UTC_TIMESTAMP, nullable=False),
        sa.CheckConstraint("channel IN ('template', 'note_verbale', 'national_report',"
                           " 'telegram', 'web')", name="ck_assistance_request_channel"),
        sa.CheckConstraint("status IN ('received', 'circulated', 'open', 'matched',"
                           " 'in_progress', 'met', 'partly_met', 'withdrawn', 'lapsed')",
                           name="ck_assistance_request_status"),
    )
    op.create_index("ix_assistance_request_party_id", "assistance_request", ["party_id"])
    op.create_index("ix_assistance_request_received", "assistance_request",
                    ["received_on", "party_id"])
    op.create_table(
        "assistance_need",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("request_id", sa.Integer(), sa.ForeignKey("assistance_request.id"),
                  nullable=False),
        sa.Column("area", sa.String(20), nullable=False),
        sa.Column("weapon", sa.String(20), nullable=True),
        sa.Column("detail", sa.String(1000), nullable=False),
        sa.CheckConstraint(f"area IN ({AREAS})", name="ck_assistance_need_area"),
        sa.CheckConstraint("weapon IS NULL OR weapon IN ('nuclear', 'chemical', 'biological',"
                           " 'delivery')", name="ck_assistance_need_weapon"),
    )
    op.create_index("ix_assistance_need_request_id", "assistance_need", ["request_id"])
    op.create_table(
        "assistance_step",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("request_id", sa.Integer(), sa.ForeignKey("assistance_request.id"),
                  nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("reached_on", sa.Date(), nullable=False),
        sa.Column("actor", sa.String(120), nullable=False),
        sa.Column("note", sa.String(1000), nullable=False),
    )
    op.create_index("ix_assistance_step_request_id", "assistance_step", ["request_id"])


def _providers() -> None:
    op.create_table(
        "assistance_provider",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("party_id", sa.Integer(), sa.ForeignKey("party.id"), nullable=False,
                  unique=True),
        sa.Column("registered_on", sa.Date(), nullable=False),
        sa.Column("withdrawn_on", sa.Date(), nullable=True),
    )
    op.create_table(
        "assistance_provider_area",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("provider_id", sa.Integer(), sa.ForeignKey("assistance_provider.id"),
                  nullable=False),
        sa.Column("area", sa.String(20), nullable=False),
        sa.Column("since", sa.Date(), nullable=False),
        sa.CheckConstraint(f"area IN ({AREAS})", name="ck_assistance_provider_area_area"),
        sa.UniqueConstraint("provider_id", "area"),
    )
    op.create_index("ix_assistance_provider_area_provider_id", "assistance_provider_area",
                    ["provider_id"])
    op.create_table(
        "assistance_offer",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("request_id", sa.Integer(), sa.ForeignKey("assistance_request.id"),
                  nullable=False),
        sa.Column("provider_id", sa.Integer(), sa.ForeignKey("assistance_provider.id"),
                  nullable=False),
        sa.Column("offered_on", sa.Date(), nullable=False),
        sa.Column("detail", sa.String(1000), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("matched_on", sa.Date(), nullable=True),
        sa.CheckConstraint("status IN ('offered', 'matched', 'declined', 'withdrawn')",
                           name="ck_assistance_offer_status"),
        sa.UniqueConstraint("request_id", "provider_id"),
    )
    op.create_index("ix_assistance_offer_request_id", "assistance_offer", ["request_id"])
    op.create_index("ix_assistance_offer_provider_id", "assistance_offer", ["provider_id"])


def _chasing() -> None:
    op.create_table(
        "assistance_notice",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("request_id", sa.Integer(), sa.ForeignKey("assistance_request.id"),
                  nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("status_on", sa.Date(), nullable=False),
        sa.Column("told_at", UTC_TIMESTAMP, nullable=False),
        sa.UniqueConstraint("request_id", "status", "status_on"),
    )
    op.create_index("ix_assistance_notice_request_id", "assistance_notice", ["request_id"])
    op.create_table(
        "assistance_feedback",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("request_id", sa.Integer(), sa.ForeignKey("assistance_request.id"),
                  nullable=False),
        sa.Column("poc_id", sa.Integer(), sa.ForeignKey("poc.id"), nullable=True),
        sa.Column("answer", sa.String(20), nullable=False),
        sa.Column("channel", sa.String(10), nullable=False),
        sa.Column("at", UTC_TIMESTAMP, nullable=False),
        sa.CheckConstraint("answer IN ('met', 'partly_met', 'still_needed')",
                           name="ck_assistance_feedback_answer"),
        sa.UniqueConstraint("request_id", "poc_id"),
    )
    op.create_index("ix_assistance_feedback_request_id", "assistance_feedback",
                    ["request_id"])
    op.create_table(
        "service_switch",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("changed_by", sa.String(120), nullable=False),
        sa.Column("changed_at", UTC_TIMESTAMP, nullable=False),
    )


def upgrade() -> None:
    _request()
    _providers()
    _chasing()


def downgrade() -> None:
    for table in ("service_switch", "assistance_feedback", "assistance_notice", "assistance_offer",
                  "assistance_provider_area", "assistance_provider", "assistance_step",
                  "assistance_need", "assistance_request"):
        op.drop_table(table)
