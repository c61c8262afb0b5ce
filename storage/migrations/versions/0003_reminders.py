"""reminders: policies, cycles sent, PoC replies, pauses per State

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "reminder_policy",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(80), nullable=False, unique=True),
        sa.Column("target", sa.String(40), nullable=False),
        sa.Column("years", sa.Integer(), nullable=True),
        sa.Column("since", sa.Date(), nullable=True),
        sa.Column("regional_group", sa.String(10), nullable=True),
        sa.Column("template", sa.String(80), nullable=False),
        sa.Column("channels", sa.JSON(), nullable=False),
        sa.Column("cadence_days", sa.Integer(), nullable=False),
        sa.Column("first_send_on", sa.Date(), nullable=False),
        sa.Column("max_reminders", sa.Integer(), nullable=False),
        sa.Column("escalate_after", sa.Integer(), nullable=True),
        sa.Column("escalate_to", sa.String(20), nullable=False),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(120), nullable=False),
        sa.Column("created_at", UTC_TIMESTAMP, nullable=False),
        sa.CheckConstraint(
            "target IN ('no_first_report', 'no_submission_for_years', 'no_submission_since',"
            " 'action_plan_update_due')",
            name="ck_reminder_policy_target",
        ),
        sa.CheckConstraint("cadence_days > 0 AND max_reminders > 0",
                           name="ck_reminder_policy_positive"),
        sa.CheckConstraint("escalate_to IN ('other_pocs', 'mission')",
                           name="ck_reminder_policy_escalate_to"),
    )
    op.create_table(
        "reminder_cycle",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("policy_id", sa.Integer(), sa.ForeignKey("reminder_policy.id"),
                  nullable=False),
        sa.Column("party_id", sa.Integer(), sa.ForeignKey("party.id"), nullable=False),
        sa.Column("cycle", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), sa.ForeignKey("outbox_message.id"),
                  nullable=False),
        sa.Column("escalated", sa.Boolean(), nullable=False),
        sa.Column("sent_at", UTC_TIMESTAMP, nullable=False),
        sa.UniqueConstraint("policy_id", "party_id", "cycle"),
    )
    op.create_index("ix_reminder_cycle_policy_id", "reminder_cycle", ["policy_id"])
    op.create_index("ix_reminder_cycle_party_id", "reminder_cycle", ["party_id"])
    op.create_table(
        "poc_reply",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("poc_id", sa.Integer(), sa.ForeignKey("poc.id"), nullable=False),
        sa.Column("message_id", sa.Integer(), sa.ForeignKey("outbox_message.id"),
                  nullable=False),
        sa.Column("answer", sa.String(20), nullable=False),
        sa.Column("snooze_until", UTC_TIMESTAMP, nullable=True),
        sa.Column("channel", sa.String(10), nullable=False),
        sa.Column("at", UTC_TIMESTAMP, nullable=False),
        sa.Column("seen_by_staff", sa.Boolean(), nullable=False),
        sa.CheckConstraint("answer IN ('received', 'snooze', 'wrong_contact')",
                           name="ck_poc_reply_answer"),
    )
    op.create_index("ix_poc_reply_poc_id", "poc_reply", ["poc_id"])
    op.create_index("ix_poc_reply_message_id", "poc_reply", ["message_id"])
    op.create_table(
        "reminder_pause",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("party_id", sa.Integer(), sa.ForeignKey("party.id"), nullable=False),
        sa.Column("policy_id", sa.Integer(), sa.ForeignKey("reminder_policy.id"),
                  nullable=True),
        sa.Column("created_by", sa.String(120), nullable=False),
        sa.Column("created_at", UTC_TIMESTAMP, nullable=False),
        sa.UniqueConstraint("party_id", "policy_id"),
    )
    op.create_index("ix_reminder_pause_party_id", "reminder_pause", ["party_id"])


def downgrade() -> None:
    for table in ("reminder_pause", "poc_reply", "reminder_cycle", "reminder_policy"):
        op.drop_table(table)
