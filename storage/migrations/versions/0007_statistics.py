"""statistics: audiences as bits on the event, a partial covering index, and a monthly tally

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27

The transparency figures (storage/figures/statistics.py) count live events of a period by audience,
type, organisation involvement, host country and year.

- `event.audience_bits` (written with event_audience) turns the audience counts into sums
  over one table instead of a join with a row per audience;
- `ix_event_statistics`, restricted to live events, holds every column those counts read,
  so the days of a period that do not fill a month are counted from the index alone; it
  replaces `ix_event_start_date` (every reader by day reads live events);
- `ix_event_type_day` finds the visits and peer reviews of a period without reading the
  other events;
- `event_month_tally` (storage/figures/tally.py) holds, per month, the live events by each
  dimension, kept by triggers on `event` whoever writes it: whole months are read from it,
  a few thousand rows, instead of every event (a million events scanned take seconds).
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
TALLIED = "start_date, type, iro_involvement, country_party_id, audience_bits, deleted_at"


def _dimensions(row: str, month: str) -> list[tuple[str, str, str]]:
    """(month, dimension, value) SQL expressions for one event row (NEW or OLD)."""
    return [
        (month, "'type'", f"{row}.type"),
        (month, "'iro'", f"{row}.iro_involvement"),
        (month, "'country'", f"COALESCE(CAST({row}.country_party_id AS TEXT), '')"),
        (month, "'bits'", f"CAST({row}.audience_bits AS TEXT)"),
    ]


def _upserts(row: str, month: str, delta: int) -> str:
    return "\n".join(
        "INSERT INTO event_month_tally (month, dimension, value, events)"
        f" VALUES ({m}, {d}, {v}, {delta})"
        " ON CONFLICT (month, dimension, value)"
        " DO UPDATE SET events = event_month_tally.events + excluded.events;"
        for m, d, v in _dimensions(row, month)
    )


def _sqlite_triggers() -> list[str]:
    def month(row: str) -> str:
        return f"strftime('%Y-%m-01', {row}.start_date)"

    return [
        "CREATE TRIGGER event_tally_insert AFTER INSERT ON event"
        f" WHEN NEW.deleted_at IS NULL BEGIN\n{_upserts('NEW', month('NEW'), 1)}\nEND",
        "CREATE TRIGGER event_tally_delete AFTER DELETE ON event"
        f" WHEN OLD.deleted_at IS NULL BEGIN\n{_upserts('OLD', month('OLD'), -1)}\nEND",
        f"CREATE TRIGGER event_tally_update_old AFTER UPDATE OF {TALLIED} ON event"
        f" WHEN OLD.deleted_at IS NULL BEGIN\n{_upserts('OLD', month('OLD'), -1)}\nEND",
        f"CREATE TRIGGER event_tally_update_new AFTER UPDATE OF {TALLIED} ON event"
        f" WHEN NEW.deleted_at IS NULL BEGIN\n{_upserts('NEW', month('NEW'), 1)}\nEND",
    ]


def _postgresql_triggers() -> list[str]:
    def month(row: str) -> str:
        return f"CAST(date_trunc('month', CAST({row}.start_date AS TIMESTAMP)) AS DATE)"

    return [
        "CREATE FUNCTION event_tally() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n"
        "IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.deleted_at IS NULL THEN\n"
        f"{_upserts('OLD', month('OLD'), -1)}\nEND IF;\n"
        "IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.deleted_at IS NULL THEN\n"
        f"{_upserts('NEW', month('NEW'), 1)}\nEND IF;\n"
        "RETURN NULL;\nEND\n$$",
        "CREATE TRIGGER event_tally AFTER INSERT OR DELETE OR UPDATE OF"
        f" {TALLIED} ON event FOR EACH ROW EXECUTE FUNCTION event_tally()",
    ]


def _backfill() -> str:
    """The tally of the events already there (what the triggers would have written)."""
    month = ("strftime('%Y-%m-01', start_date)" if op.get_bind().dialect.name == "sqlite"
             else "CAST(date_trunc('month', CAST(start_date AS TIMESTAMP)) AS DATE)")
    selects = [
        f"SELECT {m}, {d}, {v}, count(*) FROM event AS ev WHERE deleted_at IS NULL"
        f" GROUP BY {m}, {v}"
        for m, d, v in _dimensions("ev", month.replace("start_date", "ev.start_date"))
    ]
    return ("INSERT INTO event_month_tally (month, dimension, value, events) "
            + " UNION ALL ".join(selects))


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
    op.drop_index("ix_event_start_date", table_name="event")
    op.create_index("ix_event_type_day", "event", ["type", "start_date", "country_party_id"],
                    sqlite_where=LIVE_EVENT, postgresql_where=LIVE_EVENT)
    op.create_table(
        "event_month_tally",
        sa.Column("dimension", sa.String(10), primary_key=True),
        sa.Column("month", sa.Date(), primary_key=True),
        sa.Column("value", sa.String(20), primary_key=True),
        sa.Column("events", sa.Integer(), nullable=False),
        sqlite_with_rowid=False,
    )
    op.execute(_backfill())
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in _sqlite_triggers() if sqlite else _postgresql_triggers():
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("insert", "delete", "update_old", "update_new"):
            op.execute(f"DROP TRIGGER event_tally_{name}")
    else:
        op.execute("DROP TRIGGER event_tally ON event")
        op.execute("DROP FUNCTION event_tally()")
    op.drop_table("event_month_tally")
    op.create_index("ix_event_start_date", "event", ["start_date"])
    op.drop_index("ix_event_type_day", table_name="event")
    op.drop_index("ix_event_statistics", table_name="event")
    # Plain SQL on both backends (SQLite >= 3.35): a batch copy of `event` would trip the
    # foreign keys of event_audience and event_organiser.
    op.execute("ALTER TABLE event DROP COLUMN audience_bits")
