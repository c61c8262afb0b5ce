"""outbox: messages, deliveries, and the PoC's channel reachability

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("poc") as batch:
        batch.add_column(sa.Column("email_opted_out_at", UTC_TIMESTAMP, nullable=True))
        batch.add_column(sa.Column("telegram_unreachable_at", UTC_TIMESTAMP, nullable=True))

    op.create_table(
        "outbox_message",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("template", sa.String(80), nullable=False),
        sa.Column("context", sa.JSON(), nullable=False),
        sa.Column("audience", sa.String(200), nullable=False),
        sa.Column("created_by", sa.String(120), nullable=False),
        sa.Column("created_at", UTC_TIMESTAMP, nullable=False),
        sa.Column("not_before", UTC_TIMESTAMP, nullable=False),
        sa.Column("dedupe_key", sa.String(200), nullable=True, unique=True),
    )
    op.create_table(
        "delivery",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("message_id", sa.Integer(), sa.ForeignKey("outbox_message.id"),
                  nullable=False),
        sa.Column("poc_id", sa.Integer(), sa.ForeignKey("poc.id"), nullable=False),
        sa.Column("channel", sa.String(10), nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UTC_TIMESTAMP, nullable=False),
        sa.Column("lease_owner", sa.String(80), nullable=True),
        sa.Column("lease_until", UTC_TIMESTAMP, nullable=True),
        sa.Column("last_error", sa.String(500), nullable=False),
        sa.Column("external_id", sa.String(200), nullable=True),
        sa.Column("sent_at", UTC_TIMESTAMP, nullable=True),
        sa.Column("created_at", UTC_TIMESTAMP, nullable=False),
        sa.Column("updated_at", UTC_TIMESTAMP, nullable=False),
        sa.UniqueConstraint("message_id", "poc_id", "channel"),
        sa.CheckConstraint("channel IN ('email', 'telegram')", name="ck_delivery_channel"),
        sa.CheckConstraint(
            "state IN ('pending', 'sending', 'sent', 'retry', 'failed', 'uncertain')",
            name="ck_delivery_state",
        ),
    )
    op.create_index("ix_delivery_message_id", "delivery", ["message_id"])
    op.create_index("ix_delivery_poc_id", "delivery", ["poc_id"])
    op.create_index("ix_delivery_due", "delivery", ["state", "next_attempt_at"])


def downgrade() -> None:
    op.drop_table("delivery")
    op.drop_table("outbox_message")
    with op.batch_alter_table("poc") as batch:
        batch.drop_column("telegram_unreachable_at")
        batch.drop_column("email_opted_out_at")
