"""reply once: a PoC's answer to a reminder is stored once per PoC, message and answer

Replies given twice before this migration (a link posted again) are kept once: the first.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        "DELETE FROM poc_reply WHERE EXISTS (SELECT 1 FROM poc_reply AS earlier"
        " WHERE earlier.poc_id = poc_reply.poc_id AND earlier.message_id = poc_reply.message_id"
        " AND earlier.answer = poc_reply.answer AND earlier.id < poc_reply.id)")
    op.create_index("uq_poc_reply_once", "poc_reply", ["poc_id", "message_id", "answer"],
                    unique=True)


def downgrade() -> None:
    op.drop_index("uq_poc_reply_once", table_name="poc_reply")
