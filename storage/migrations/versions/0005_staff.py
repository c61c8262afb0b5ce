"""staff: who may do what, admins and staff known by their Telegram user id

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-11
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "staff_member",
        sa.Column("telegram_user_id", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("role", sa.String(10), nullable=False),
        sa.Column("display_name", sa.String(120), nullable=False),
        sa.Column("granted_by", sa.String(120), nullable=False),
        sa.Column("granted_at", UTC_TIMESTAMP, nullable=False),
        sa.Column("revoked_at", UTC_TIMESTAMP, nullable=True),
        sa.Column("revoked_by", sa.String(120), nullable=True),
        sa.CheckConstraint("role IN ('admin', 'staff')", name="ck_staff_member_role"),
    )


def downgrade() -> None:
    op.drop_table("staff_member")
