"""letter documents: a document a PoC sends as a response to a letter names that letter
(inbox_document.letter_id), so that confirming it records the party's response with the
document attached, and reminders of that letter wait while it is under review

A nullable column with its foreign key and index: every stored document keeps no letter
(those sent before could name none), which is what they were.

Revision ID: 0021
Revises: 0019
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # SQLite adds a column with its REFERENCES clause in place; a batch copy of the table
        # would have to restate its checks
        op.execute("ALTER TABLE inbox_document ADD COLUMN letter_id INTEGER"
                   " REFERENCES letter (id)")
    else:
        op.add_column("inbox_document", sa.Column("letter_id", sa.Integer(), nullable=True))
        op.create_foreign_key("fk_inbox_document_letter_id", "inbox_document", "letter",
                              ["letter_id"], ["id"])
    op.create_index("ix_inbox_document_letter_id", "inbox_document", ["letter_id"])


def downgrade() -> None:
    op.drop_index("ix_inbox_document_letter_id", "inbox_document")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE inbox_document DROP COLUMN letter_id")  # SQLite >= 3.35
    else:
        op.drop_constraint("fk_inbox_document_letter_id", "inbox_document", type_="foreignkey")
        op.drop_column("inbox_document", "letter_id")
