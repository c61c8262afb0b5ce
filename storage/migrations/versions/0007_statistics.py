"""statistics: events carry their audiences as bits, and a partial covering index for the figures

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27

The outreach figures (storage/statistics.py) count live events of a period by audience, type,
organisation involvement, host country and year. With `audience_bits` on the event row and
every one of those columns in one index restricted to live events, both SQLite and
PostgreSQL answer from the index alone instead of joining event_audience row by row
(bench/statistics.py measures it at a million events).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LIVE_EVENT = sa.text("deleted_at IS NULL")
# The bits of storage.events.AUDIENCE_BITS, as they were when this migration was written.
BITS = {"states": 1, "academia": 2, "industry": 4, "parliamentarians": 8, "civil_society": 16,
        "organisations": 32}


def upgrade() -> None:
    op.add_column("event", sa.Column("audience_bits", sa.Integer(), nullable=False,
                                     server_default="0"))
    # (event_id, audience) is the primary key, so a sum of distinct bits is their union.
    cases = " ".join(f"WHEN '{name}' THEN {bit}" for name, bit in BITS.items())
    op.execute(
        "UPDATE event SET audience_bits = (SELECT COALESCE(SUM(CASE event_audience.audience "
        f"{cases} ELSE 0 END), 0) FROM event_audience WHERE event_audience.event_id = event.id)"
    )
    op.create_index(
        "ix_event_statistics", "event",
        ["start_date", "type", "iro_involvement", "country_party_id", "audience_bits"],
        sqlite_where=LIVE_EVENT, postgresql_where=LIVE_EVENT,
    )


def downgrade() -> None:
    op.drop_index("ix_event_statistics", table_name="event")
    # Plain SQL on both backends (SQLite >= 3.35): a batch copy of `event` would trip the
    # foreign keys of event_audience and event_organiser.
    op.execute("ALTER TABLE event DROP COLUMN audience_bits")
