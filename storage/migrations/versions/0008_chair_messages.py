"""chair messages: the Chair's quarterly messages, one body per UN language

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "chair_message",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("drafted_by", sa.String(120), nullable=False),
        sa.Column("drafted_at", UTC_TIMESTAMP, nullable=False),
        sa.Column("updated_by", sa.String(120), nullable=False),
        sa.Column("updated_at", UTC_TIMESTAMP, nullable=False),
        sa.Column("approved_by", sa.String(120), nullable=True),
        sa.Column("approved_at", UTC_TIMESTAMP, nullable=True),
        sa.Column("send_at", UTC_TIMESTAMP, nullable=True),
        sa.Column("audience", sa.JSON(), nullable=False),
        sa.Column("released_at", UTC_TIMESTAMP, nullable=True),
        sa.Column("sent_at", UTC_TIMESTAMP, nullable=True),
        sa.Column("cancelled_by", sa.String(120), nullable=True),
        sa.Column("cancelled_at", UTC_TIMESTAMP, nullable=True),
        sa.Column("unreachable", sa.JSON(), nullable=False),
        sa.CheckConstraint(
            "state IN ('draft', 'approved', 'sending', 'sent', 'cancelled')",
            name="ck_chair_message_state",
        ),
    )
    op.create_index("ix_chair_message_state", "chair_message", ["state"])
    op.create_table(
        "chair_message_body",
        sa.Column("message_id", sa.Integer(), sa.ForeignKey("chair_message.id"),
                  primary_key=True),
        sa.Column("language", sa.String(5), primary_key=True),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("markdown", sa.Text(), nullable=False),
        sa.Column("updated_at", UTC_TIMESTAMP, nullable=False),
        sa.CheckConstraint(
            "language IN ('ar', 'zh', 'en', 'fr', 'ru', 'es')",
            name="ck_chair_message_body_language",
        ),
    )


def downgrade() -> None:
    op.drop_table("chair_message_body")
    op.drop_index("ix_chair_message_state", table_name="chair_message")
    op.drop_table("chair_message")
