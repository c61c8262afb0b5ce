"""matrix reviews: a draft matrix sent to its State for approval, the reminder target
"unapproved_matrix", and the inbox purpose "matrix_comments"

Two check constraints allow one more value each: PostgreSQL replaces them; SQLite gets the
tables' recorded definitions rewritten in place, as 0019 does (every stored row stays valid;
no copy of the table).

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy import text

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_TIMESTAMP = sa.DateTime(timezone=True)
TARGETS_BEFORE = ("'no_first_report', 'no_submission_for_years', 'no_submission_since',"
                  " 'action_plan_update_due', 'unanswered_letter'")
TARGETS_AFTER = TARGETS_BEFORE + ", 'unapproved_matrix'"
PURPOSES_BEFORE = "'national_report', 'additional_info', 'action_plan', 'letter_response'"
PURPOSES_AFTER = PURPOSES_BEFORE + ", 'matrix_comments'"
CHECKS = (("reminder_policy", "ck_reminder_policy_target", "target"),
          ("inbox_document", "ck_inbox_document_purpose", "purpose"))


def _check(table: str, name: str, column: str, old: str, new: str) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        op.drop_constraint(name, table, type_="check")
        op.create_check_constraint(name, table, f"{column} IN ({new})")
        return
    found = bind.execute(text("SELECT sql FROM sqlite_master WHERE type = 'table'"
                              " AND name = :table"), {"table": table}).scalar_one()
    if f"{old})" not in found:
        raise RuntimeError(f"the {table} table's {column} check is not the one this "
                           "migration knows")
    version = bind.execute(text("PRAGMA schema_version")).scalar_one()
    bind.execute(text("PRAGMA writable_schema = ON"))
    bind.execute(text("UPDATE sqlite_master SET sql = replace(sql, :old, :new)"
                      " WHERE type = 'table' AND name = :table"),
                 {"old": f"{old})", "new": f"{new})", "table": table})
    bind.execute(text(f"PRAGMA schema_version = {int(version) + 1}"))
    bind.execute(text("PRAGMA writable_schema = OFF"))


def upgrade() -> None:
    _check(*CHECKS[0], TARGETS_BEFORE, TARGETS_AFTER)
    _check(*CHECKS[1], PURPOSES_BEFORE, PURPOSES_AFTER)
    op.create_table(
        "matrix_review",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("version_id", sa.Integer(), sa.ForeignKey("matrix_version.id"),
                  nullable=False),
        sa.Column("outbox_message_id", sa.Integer(), sa.ForeignKey("outbox_message.id"),
                  nullable=True, unique=True),
        sa.Column("file_name", sa.String(200), nullable=False),
        sa.Column("stored_name", sa.String(80), nullable=False, unique=True),
        sa.Column("checksum", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("detected_type", sa.String(10), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("policy_id", sa.Integer(), sa.ForeignKey("reminder_policy.id"),
                  nullable=True),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("answered_on", sa.Date(), nullable=True),
        sa.Column("answered_by", sa.Integer(), sa.ForeignKey("poc.id"), nullable=True),
        sa.Column("answer_channel", sa.String(10), nullable=True),
        sa.Column("created_by", sa.String(120), nullable=False),
        sa.Column("created_at", UTC_TIMESTAMP, nullable=False),
        sa.CheckConstraint("state IN ('pending', 'comments', 'approved')",
                           name="ck_matrix_review_state"),
        sa.CheckConstraint("size > 0", name="ck_matrix_review_size"),
        sa.CheckConstraint("detected_type IN ('pdf', 'docx', 'odt', 'xlsx')",
                           name="ck_matrix_review_type"),
    )
    op.create_index("ix_matrix_review_version_id", "matrix_review", ["version_id"])
    op.create_index("ix_matrix_review_state", "matrix_review", ["state"])


def downgrade() -> None:
    bind = op.get_bind()
    held = bind.execute(text("SELECT count(*) FROM reminder_policy"
                             " WHERE target = 'unapproved_matrix'")).scalar_one()
    held += bind.execute(text("SELECT count(*) FROM inbox_document"
                              " WHERE purpose = 'matrix_comments'")).scalar_one()
    if held:
        raise RuntimeError(f"{held} reminder policies or documents belong to matrix reviews:"
                           " remove them first")
    op.drop_table("matrix_review")
    _check(*CHECKS[1], PURPOSES_AFTER, PURPOSES_BEFORE)
    _check(*CHECKS[0], TARGETS_AFTER, TARGETS_BEFORE)
