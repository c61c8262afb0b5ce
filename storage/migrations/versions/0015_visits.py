"""visits: an event's lead body; invitations to visit a State, the visits' outcomes and the
authorities met; bodies beyond the reference list (universities, NGOs, industry) as parties

- event.lead_body: who led the event (storage/events.py LeadBody): the 1540 Committee
  (`committee`, every existing row), the Counter-Terrorism Committee (`ctc`), the 1267
  Committee (`c1267`) or several committees together (`joint`). A new column with its check
  is added in place on both backends (SQLite's ADD COLUMN takes a column check).
- party.kind may be `body`: a university, NGO, industry association or other body that
  organises or hosts events (its kind in party.scope), never an organisation of the figures.
  PostgreSQL replaces the constraint; SQLite gets the table's recorded definition rewritten
  in place, as 0013 does for the event's type (a check that allows one more value).
- visit_invitation, visit_outcome, visit_authority (storage/visits/model.py).

Revision ID: 0015
Revises: 0013
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy import text

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_TIMESTAMP = sa.DateTime(timezone=True)
LEAD_BODIES = "'committee', 'ctc', 'c1267', 'joint'"
KIND_BEFORE = "kind IN ('state', 'organisation')"
KIND_AFTER = "kind IN ('state', 'organisation', 'body')"


def _sqlite_rewrite(table: str, old: str, new: str) -> None:
    """Replace `old` by `new` in `table`'s recorded definition (a check that allows more, or
    a check removed: every stored row stays valid)."""
    bind = op.get_bind()
    found = bind.execute(text("SELECT sql FROM sqlite_master WHERE type = 'table'"
                              " AND name = :table"), {"table": table}).scalar_one()
    if old not in found:
        raise RuntimeError(f"the {table} table's check is not the one this migration knows")
    version = bind.execute(text("PRAGMA schema_version")).scalar_one()
    bind.execute(text("PRAGMA writable_schema = ON"))
    bind.execute(text("UPDATE sqlite_master SET sql = replace(sql, :old, :new)"
                      " WHERE type = 'table' AND name = :table"),
                 {"old": old, "new": new, "table": table})
    bind.execute(text(f"PRAGMA schema_version = {int(version) + 1}"))
    bind.execute(text("PRAGMA writable_schema = OFF"))


def _party_kind(old: str, new: str) -> None:
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_rewrite("party", old, new)
    else:
        op.drop_constraint("ck_party_kind", "party", type_="check")
        op.create_check_constraint("ck_party_kind", "party", new)


def _lead_body() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(text(
            "ALTER TABLE event ADD COLUMN lead_body VARCHAR(20) DEFAULT 'committee' NOT NULL"
            f" CONSTRAINT ck_event_lead_body CHECK (lead_body IN ({LEAD_BODIES}))"))
    else:
        op.add_column("event", sa.Column("lead_body", sa.String(20), nullable=False,
                                         server_default="committee"))
        op.create_check_constraint("ck_event_lead_body", "event",
                                   f"lead_body IN ({LEAD_BODIES})")


def _visits() -> None:
    op.create_table(
        "visit_invitation",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("party_id", sa.Integer(), sa.ForeignKey("party.id"), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("form", sa.String(20), nullable=False),
        sa.Column("reference", sa.String(80), nullable=False),
        sa.Column("note", sa.String(1000), nullable=False),
        sa.Column("event_id", sa.Integer(), sa.ForeignKey("event.id"), nullable=True,
                  unique=True),
        sa.Column("created_by", sa.String(120), nullable=False),
        sa.Column("created_at", UTC_TIMESTAMP, nullable=False),
        sa.CheckConstraint("form IN ('note_verbale', 'letter', 'oral', 'other')",
                           name="ck_visit_invitation_form"),
    )
    op.create_index("ix_visit_invitation_party_id", "visit_invitation", ["party_id"])
    op.create_table(
        "visit_outcome",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("invitation_id", sa.Integer(), sa.ForeignKey("visit_invitation.id"),
                  nullable=False),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("submission_id", sa.Integer(), sa.ForeignKey("submission.id"),
                  nullable=True),
        sa.Column("detail", sa.String(1000), nullable=False),
        sa.CheckConstraint("outcome IN ('national_report', 'action_plan', 'legislation',"
                           " 'other')", name="ck_visit_outcome_outcome"),
        sa.UniqueConstraint("invitation_id", "outcome"),
    )
    op.create_index("ix_visit_outcome_invitation_id", "visit_outcome", ["invitation_id"])
    op.create_table(
        "visit_authority",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("invitation_id", sa.Integer(), sa.ForeignKey("visit_invitation.id"),
                  nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(20), nullable=False),
        sa.Column("detail", sa.String(200), nullable=False),
        sa.CheckConstraint("category IN ('foreign_affairs', 'defence', 'health', 'police',"
                           " 'customs', 'other')", name="ck_visit_authority_category"),
        sa.UniqueConstraint("invitation_id", "position"),
    )
    op.create_index("ix_visit_authority_invitation_id", "visit_authority", ["invitation_id"])


def upgrade() -> None:
    _lead_body()
    _party_kind(KIND_BEFORE, KIND_AFTER)
    _visits()


def downgrade() -> None:
    bind = op.get_bind()
    held = bind.execute(text("SELECT count(*) FROM party WHERE kind = 'body'")).scalar_one()
    if held:
        raise RuntimeError(f"{held} parties are bodies beyond the reference list: remove them"
                           " before going back to a schema that refuses them")
    for table in ("visit_authority", "visit_outcome", "visit_invitation"):
        op.drop_table(table)
    _party_kind(KIND_AFTER, KIND_BEFORE)
    if bind.dialect.name == "sqlite":
        # SQLite drops no column a check names: the check goes first, as it came
        _sqlite_rewrite("event", f" CONSTRAINT ck_event_lead_body CHECK (lead_body IN"
                        f" ({LEAD_BODIES}))", "")
    else:
        op.drop_constraint("ck_event_lead_body", "event", type_="check")
    op.drop_column("event", "lead_body")
