"""inbox: documents PoCs send back (national reports, additional information, action plans,
responses to letters), with their checksum, detected type and staff's decision

Revision ID: 0018
Revises: 0013
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "inbox_document",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("party_id", sa.Integer(), sa.ForeignKey("party.id"), nullable=False),
        sa.Column("poc_id", sa.Integer(), sa.ForeignKey("poc.id"), nullable=False),
        sa.Column("purpose", sa.String(20), nullable=False),
        sa.Column("original_name", sa.String(200), nullable=False),
        sa.Column("stored_name", sa.String(80), nullable=True, unique=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("checksum", sa.String(64), nullable=False),
        sa.Column("detected_type", sa.String(10), nullable=False),
        sa.Column("channel", sa.String(10), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("duplicate_of", sa.Integer(), sa.ForeignKey("inbox_document.id"),
                  nullable=True),
        sa.Column("received_at", UTC_TIMESTAMP, nullable=False),
        sa.Column("staff_told_at", UTC_TIMESTAMP, nullable=True),
        sa.Column("decided_by", sa.String(120), nullable=True),
        sa.Column("decided_at", UTC_TIMESTAMP, nullable=True),
        sa.Column("submission_kind", sa.String(20), nullable=True),
        sa.Column("submitted_on", sa.Date(), nullable=True),
        sa.Column("submission_id", sa.Integer(), sa.ForeignKey("submission.id"),
                  nullable=True),
        sa.Column("decline_reason", sa.String(1000), nullable=True),
        sa.Column("decline_message_id", sa.Integer(), sa.ForeignKey("outbox_message.id"),
                  nullable=True),
        sa.CheckConstraint("purpose IN ('national_report', 'additional_info', 'action_plan',"
                           " 'letter_response')", name="ck_inbox_document_purpose"),
        sa.CheckConstraint("detected_type IN ('pdf', 'docx', 'odt', 'xlsx')",
                           name="ck_inbox_document_type"),
        sa.CheckConstraint("channel IN ('telegram', 'web')", name="ck_inbox_document_channel"),
        sa.CheckConstraint("status IN ('received', 'confirmed', 'declined', 'duplicate')",
                           name="ck_inbox_document_status"),
    )
    op.create_index("ix_inbox_document_party_id", "inbox_document", ["party_id"])
    op.create_index("ix_inbox_document_poc_id", "inbox_document", ["poc_id"])
    op.create_index("ix_inbox_document_status", "inbox_document", ["status"])
    op.create_index("ix_inbox_document_party_checksum", "inbox_document",
                    ["party_id", "checksum"])


def downgrade() -> None:
    op.drop_table("inbox_document")
