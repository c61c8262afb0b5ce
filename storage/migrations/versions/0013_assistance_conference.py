"""events: a regional assistance conference is an event type (assist_conference)

EventType.ASSISTANCE_CONFERENCE (seed paper, section 5: "regional assistance conferences
that provide a platform for match-making") was refused by the event table's check of 0004.
The check now allows it. PostgreSQL replaces the constraint; SQLite, which cannot alter one,
gets the table's recorded definition rewritten in place, the way SQLite documents for a
change that leaves every stored row as it is (a check that allows one more value): no copy of
the table, so its partial indexes and the tally's triggers stay as they are.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03
"""

from collections.abc import Sequence

from alembic import op
from sqlalchemy import text

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BEFORE = ("'workshop', 'conference', 'poc_training', 'visit', 'peer_review', 'roundtable',"
          " 'webinar', 'briefing', 'other'")
AFTER = ("'workshop', 'conference', 'poc_training', 'visit', 'peer_review', 'roundtable',"
         " 'webinar', 'briefing', 'assist_conference', 'other'")


def _sqlite(old: str, new: str) -> None:
    bind = op.get_bind()
    found = bind.execute(text("SELECT sql FROM sqlite_master WHERE type = 'table'"
                              " AND name = 'event'")).scalar_one()
    if f"type IN ({old})" not in found:
        raise RuntimeError("the event table's type check is not the one this migration knows")
    version = bind.execute(text("PRAGMA schema_version")).scalar_one()
    bind.execute(text("PRAGMA writable_schema = ON"))
    bind.execute(text("UPDATE sqlite_master SET sql = replace(sql, :old, :new)"
                      " WHERE type = 'table' AND name = 'event'"),
                 {"old": f"type IN ({old})", "new": f"type IN ({new})"})
    # a new schema version makes every connection read the definition again
    bind.execute(text(f"PRAGMA schema_version = {int(version) + 1}"))
    bind.execute(text("PRAGMA writable_schema = OFF"))


def _postgresql(values: str) -> None:
    op.drop_constraint("ck_event_type", "event", type_="check")
    op.create_check_constraint("ck_event_type", "event", f"type IN ({values})")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _sqlite(BEFORE, AFTER)
    else:
        _postgresql(AFTER)


def downgrade() -> None:
    held = op.get_bind().execute(text(
        "SELECT count(*) FROM event WHERE type = 'assist_conference'")).scalar_one()
    if held:
        raise RuntimeError(f"{held} events are regional assistance conferences: change their"
                           " type before going back to a schema that refuses it")
    if op.get_bind().dialect.name == "sqlite":
        _sqlite(AFTER, BEFORE)
    else:
        _postgresql(BEFORE)
