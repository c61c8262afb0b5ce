"""matrix comments: a document a PoC sends as comments on a draft matrix names the review it
answers (inbox_document.matrix_review_id), so the review shows when its comments came and
staff confirm them as read, not as a submission

A nullable column with its foreign key and index: every stored document keeps no review
(those sent before could name none), which is what they were.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # SQLite adds a column with its REFERENCES clause in place; a batch copy of the table
        # would have to restate its checks
        op.execute("ALTER TABLE inbox_document ADD COLUMN matrix_review_id INTEGER"
                   " REFERENCES matrix_review (id)")
    else:
        op.add_column("inbox_document",
                      sa.Column("matrix_review_id", sa.Integer(), nullable=True))
        op.create_foreign_key("fk_inbox_document_matrix_review_id", "inbox_document",
                              "matrix_review", ["matrix_review_id"], ["id"])
    op.create_index("ix_inbox_document_matrix_review_id", "inbox_document",
                    ["matrix_review_id"])


def downgrade() -> None:
    op.drop_index("ix_inbox_document_matrix_review_id", "inbox_document")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE inbox_document DROP COLUMN matrix_review_id")  # SQLite >= 3.35
    else:
        op.drop_constraint("fk_inbox_document_matrix_review_id", "inbox_document",
                           type_="foreignkey")
        op.drop_column("inbox_document", "matrix_review_id")
