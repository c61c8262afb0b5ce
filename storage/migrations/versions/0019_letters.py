"""letters: a Chair's or one-off message expecting a response by a due date, the responses
per party, and the reminder target "unanswered_letter"

The policy table's target check allows one more value: PostgreSQL replaces the constraint;
SQLite gets the table's recorded definition rewritten in place, as 0013 does for the event
type (every stored row stays valid; no copy of the table).

Revision ID: 0019
Revises: 0013
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy import text

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_TIMESTAMP = sa.DateTime(timezone=True)
BEFORE = ("'no_first_report', 'no_submission_for_years', 'no_submission_since',"
          " 'action_plan_update_due'")
AFTER = ("'no_first_report', 'no_submission_for_years', 'no_submission_since',"
         " 'action_plan_update_due', 'unanswered_letter'")


def _target_check(old: str, new: str) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        op.drop_constraint("ck_reminder_policy_target", "reminder_policy", type_="check")
        op.create_check_constraint("ck_reminder_policy_target", "reminder_policy",
                                   f"target IN ({new})")
        return
    found = bind.execute(text("SELECT sql FROM sqlite_master WHERE type = 'table'"
                              " AND name = 'reminder_policy'")).scalar_one()
    if f"{old})" not in found:
        raise RuntimeError("the policy table's target check is not the one this migration knows")
    version = bind.execute(text("PRAGMA schema_version")).scalar_one()
    bind.execute(text("PRAGMA writable_schema = ON"))
    bind.execute(text("UPDATE sqlite_master SET sql = replace(sql, :old, :new)"
                      " WHERE type = 'table' AND name = 'reminder_policy'"),
                 {"old": f"{old})", "new": f"{new})"})
    bind.execute(text(f"PRAGMA schema_version = {int(version) + 1}"))
    bind.execute(text("PRAGMA writable_schema = OFF"))


def upgrade() -> None:
    _target_check(BEFORE, AFTER)
    op.create_table(
        "letter",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("chair_message_id", sa.Integer(), sa.ForeignKey("chair_message.id"),
                  nullable=True, unique=True),
        sa.Column("outbox_message_id", sa.Integer(), sa.ForeignKey("outbox_message.id"),
                  nullable=True, unique=True),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("policy_id", sa.Integer(), sa.ForeignKey("reminder_policy.id"),
                  nullable=True),
        sa.Column("created_by", sa.String(120), nullable=False),
        sa.Column("created_at", UTC_TIMESTAMP, nullable=False),
        sa.CheckConstraint("(chair_message_id IS NULL) <> (outbox_message_id IS NULL)",
                           name="ck_letter_one_source"),
    )
    op.create_table(
        "letter_response",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("letter_id", sa.Integer(), sa.ForeignKey("letter.id"), nullable=False),
        sa.Column("party_id", sa.Integer(), sa.ForeignKey("party.id"), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("substantive", sa.Boolean(), nullable=True),
        sa.Column("responded_on", sa.Date(), nullable=False),
        sa.Column("promised_by", sa.Date(), nullable=True),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("poc_id", sa.Integer(), sa.ForeignKey("poc.id"), nullable=True),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("recorded_by", sa.String(120), nullable=False),
        sa.Column("recorded_at", UTC_TIMESTAMP, nullable=False),
        sa.UniqueConstraint("letter_id", "party_id"),
        sa.CheckConstraint("kind IN ('response', 'promise')", name="ck_letter_response_kind"),
        sa.CheckConstraint("channel IN ('telegram', 'email', 'note_verbale', 'staff')",
                           name="ck_letter_response_channel"),
    )
    op.create_index("ix_letter_response_letter_id", "letter_response", ["letter_id"])
    op.create_index("ix_letter_response_party_id", "letter_response", ["party_id"])


def downgrade() -> None:
    held = op.get_bind().execute(text(
        "SELECT count(*) FROM reminder_policy WHERE target = 'unanswered_letter'")).scalar_one()
    if held:
        raise RuntimeError(f"{held} reminder policies chase letters: remove them first")
    op.drop_table("letter_response")
    op.drop_table("letter")
    _target_check(AFTER, BEFORE)
