"""invitations: single-use, expiring Telegram deep links that bind a PoC's chat

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "poc_invitation",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("poc_id", sa.Integer(), sa.ForeignKey("poc.id"), nullable=False),
        sa.Column("created_by", sa.String(120), nullable=False),
        sa.Column("created_at", UTC_TIMESTAMP, nullable=False),
        sa.Column("expires_at", UTC_TIMESTAMP, nullable=False),
        sa.Column("used_at", UTC_TIMESTAMP, nullable=True),
        sa.Column("used_by_chat_id", sa.BigInteger(), nullable=True),
    )
    op.create_index("ix_poc_invitation_poc_id", "poc_invitation", ["poc_id"])


def downgrade() -> None:
    op.drop_index("ix_poc_invitation_poc_id", table_name="poc_invitation")
    op.drop_table("poc_invitation")
