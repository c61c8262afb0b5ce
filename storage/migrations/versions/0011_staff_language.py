"""staff language: the language the bot speaks to each staff member in

Existing members get English, the chat's language until now.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LANGUAGE_CHECK = "language IN ('ar', 'zh', 'en', 'fr', 'ru', 'es')"


def upgrade() -> None:
    with op.batch_alter_table("staff_member") as batch:
        batch.add_column(sa.Column("language", sa.String(5), nullable=False,
                                   server_default="en"))
        batch.create_check_constraint("ck_staff_member_language", LANGUAGE_CHECK)


def downgrade() -> None:
    with op.batch_alter_table("staff_member") as batch:
        batch.drop_constraint("ck_staff_member_language", type_="check")
        batch.drop_column("language")
