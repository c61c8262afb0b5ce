"""registry: regional groups, languages, parties, PoCs, submissions, audit log

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "audit_entry",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", UTC_TIMESTAMP, nullable=False),
        sa.Column("actor", sa.String(120), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("entity", sa.String(40), nullable=False),
        sa.Column("entity_id", sa.String(80), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
    )
    op.create_index("ix_audit_entry_at", "audit_entry", ["at"])

    op.create_table(
        "language",
        sa.Column("code", sa.String(5), primary_key=True),
        sa.Column("name", sa.String(40), nullable=False),
        sa.Column("native_name", sa.String(40), nullable=False),
        sa.Column("direction", sa.String(3), nullable=False),
        sa.CheckConstraint("direction IN ('ltr', 'rtl')", name="ck_language_direction"),
    )
    op.create_table(
        "regional_group",
        sa.Column("code", sa.String(10), primary_key=True),
        sa.Column("name", sa.String(80), nullable=False),
    )
    op.create_table(
        "party",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("code", sa.String(20), nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("iso2", sa.String(2), nullable=True),
        sa.Column("m49", sa.String(3), nullable=True),
        sa.Column("regional_group", sa.String(10), sa.ForeignKey("regional_group.code")),
        sa.Column("electoral_group", sa.String(10), sa.ForeignKey("regional_group.code")),
        sa.Column("observer_in", sa.String(10), sa.ForeignKey("regional_group.code")),
        sa.Column("also_participates_in", sa.String(10), sa.ForeignKey("regional_group.code")),
        sa.Column("scope", sa.String(20), nullable=True),
        sa.CheckConstraint("kind IN ('state', 'organisation')", name="ck_party_kind"),
    )
    op.create_index("ix_party_kind", "party", ["kind"])

    op.create_table(
        "poc",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("party_id", sa.Integer(), sa.ForeignKey("party.id"), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("full_name", sa.String(200), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("agency", sa.String(300), nullable=False),
        sa.Column("phone", sa.String(40), nullable=False),
        sa.Column("telegram_handle", sa.String(40), nullable=True),
        sa.Column("telegram_chat_id", sa.BigInteger(), nullable=True),
        sa.Column("language", sa.String(5), sa.ForeignKey("language.code"), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("notified_on", sa.Date(), nullable=True),
        sa.Column("verified_on", sa.Date(), nullable=True),
        sa.Column("created_at", UTC_TIMESTAMP, nullable=False),
        sa.Column("updated_at", UTC_TIMESTAMP, nullable=False),
        sa.CheckConstraint(
            "role IN ('national', 'assistance', 'coordinator', 'mission')", name="ck_poc_role"
        ),
        sa.CheckConstraint("status IN ('active', 'inactive')", name="ck_poc_status"),
    )
    op.create_index("ix_poc_party_id", "poc", ["party_id"])
    op.create_index("ix_poc_status", "poc", ["status"])

    op.create_table(
        "poc_email",
        sa.Column("poc_id", sa.Integer(), sa.ForeignKey("poc.id"), primary_key=True),
        sa.Column("position", sa.Integer(), primary_key=True),
        sa.Column("address", sa.String(320), nullable=False),
    )
    op.create_index("ix_poc_email_address", "poc_email", ["address"])

    op.create_table(
        "submission",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("party_id", sa.Integer(), sa.ForeignKey("party.id"), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("submitted_on", sa.Date(), nullable=False),
        sa.Column("symbol", sa.String(80), nullable=False),
        sa.Column("note", sa.String(2000), nullable=False),
        sa.Column("created_at", UTC_TIMESTAMP, nullable=False),
        sa.UniqueConstraint("party_id", "kind", "submitted_on"),
        sa.CheckConstraint(
            "kind IN ('first_report', 'additional_info', 'action_plan')",
            name="ck_submission_kind",
        ),
    )
    op.create_index("ix_submission_party_id", "submission", ["party_id"])
    op.create_index("ix_submission_submitted_on", "submission", ["submitted_on"])


def downgrade() -> None:
    for table in ("submission", "poc_email", "poc", "party", "regional_group", "language",
                  "audit_entry"):
        op.drop_table(table)
