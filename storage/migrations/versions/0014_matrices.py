"""matrices: each State's matrix by version (sent, approved, published) and its cells,
recorded and possible measures per section and weapon category (seed paper, section 4.3)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "matrix_version",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("party_id", sa.Integer(), sa.ForeignKey("party.id"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("template", sa.Integer(), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=False),
        sa.Column("approved_on", sa.Date(), nullable=True),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("party_id", "version", name="uq_matrix_version_party_version"),
        sa.CheckConstraint("version >= 1", name="ck_matrix_version_version"),
        sa.CheckConstraint("template >= 2004", name="ck_matrix_version_template"),
        sa.CheckConstraint("approved_on IS NULL OR approved_on >= sent_on",
                           name="ck_matrix_version_approved_after_sent"),
        sa.CheckConstraint("published_on IS NULL OR (approved_on IS NOT NULL"
                           " AND published_on >= approved_on)",
                           name="ck_matrix_version_published_after_approved"),
    )
    op.create_index("ix_matrix_version_party_id", "matrix_version", ["party_id"])
    op.create_index("ix_matrix_version_approved_on", "matrix_version", ["approved_on"])
    op.create_table(
        "matrix_cell",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("version_id", sa.Integer(), sa.ForeignKey("matrix_version.id"),
                  nullable=False),
        sa.Column("section", sa.String(10), nullable=False),
        sa.Column("category", sa.String(10), nullable=False),
        sa.Column("recorded", sa.Integer(), nullable=False),
        sa.Column("possible", sa.Integer(), nullable=False),
        sa.CheckConstraint("section IN ('op1', 'op2', 'op3_cd', 'op3_ab')",
                           name="ck_matrix_cell_section"),
        sa.CheckConstraint("category IN ('nw', 'cw', 'bw')", name="ck_matrix_cell_category"),
        sa.CheckConstraint("recorded >= 0", name="ck_matrix_cell_recorded"),
        sa.CheckConstraint("possible >= 0 AND possible <= 1000",
                           name="ck_matrix_cell_possible"),
        sa.CheckConstraint("recorded <= possible", name="ck_matrix_cell_recorded_of_possible"),
        sa.UniqueConstraint("version_id", "section", "category", name="uq_matrix_cell"),
    )
    op.create_index("ix_matrix_cell_version_id", "matrix_cell", ["version_id"])


def downgrade() -> None:
    op.drop_table("matrix_cell")
    op.drop_table("matrix_version")
