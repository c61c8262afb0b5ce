"""Live events counted per calendar month, one dimension at a time: the figures' summary.

The database keeps it: triggers on `event` (migration 0007) add and subtract as events are
inserted, changed, soft-deleted or deleted, whoever writes them, so it cannot drift from the
events. A row says: in `month` (its first day), `events` live events had this `value` of
this `dimension`. The transparency figures only need each dimension on its own (counts by
type, by involvement, by host country, by audience set), never their combinations, so a
month holds at most 9 + 4 + 194 + 64 rows however many events it has, and the figures over
whole months read a few thousand rows instead of every event (storage/figures/statistics.py).
"""

from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Date, String, delete, func, insert, literal
from sqlmodel import Field, Session, SQLModel, col, select

from storage.events import Event


class TallyDimension(StrEnum):
    TYPE = "type"  # value: Event.type
    IRO_INVOLVEMENT = "iro"  # value: Event.iro_involvement
    COUNTRY = "country"  # value: Event.country_party_id as text, "" for none
    AUDIENCE_BITS = "bits"  # value: Event.audience_bits as text


class EventMonthTally(SQLModel, table=True):
    __tablename__ = "event_month_tally"
    # Rows in key order, dimension first: each query reads one or two dimensions' months as
    # one range (on SQLite the table is its key, with no separate row store to look up).
    __table_args__ = {"sqlite_with_rowid": False}

    dimension: str = Field(primary_key=True, max_length=10)
    month: date = Field(primary_key=True)
    value: str = Field(primary_key=True, max_length=20)
    events: int


# (year, dimension, value) -> live events. Involvement and country are not split by year:
# their year is ALL_YEARS.
Tallies = dict[tuple[int, str, str], int]
ALL_YEARS = 0


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def whole_months(start: date, end: date) -> tuple[date, date] | None:
    """The first and last day of the whole months within [start, end], if any."""
    first = start if start.day == 1 else _next_month(start)
    after = end + timedelta(days=1)
    last = (after if after.day == 1 else after.replace(day=1)) - timedelta(days=1)
    return (first, last) if first <= last else None


def _year(column: Any) -> ColumnElement[int]:
    return func.extract("year", column)


def _from_tally(session: Session, first: date, last: date, into: Tallies) -> None:
    tally = EventMonthTally
    months = [col(tally.month) >= first, col(tally.month) <= last]
    # Type and audiences are needed per year (events by year, the chart); involvement and
    # host country only in total: reading those per year would return 20 times the rows.
    year = _year(col(tally.month)).label("year")
    by_year = (
        select(year, col(tally.dimension), col(tally.value), func.sum(col(tally.events)))
        .where(col(tally.dimension).in_([TallyDimension.TYPE, TallyDimension.AUDIENCE_BITS]),
               *months)
        .group_by(col(tally.dimension), year, col(tally.value))
    )
    in_total = (
        select(literal(ALL_YEARS), col(tally.dimension), col(tally.value),
               func.sum(col(tally.events)))
        .where(col(tally.dimension).in_([TallyDimension.IRO_INVOLVEMENT,
                                         TallyDimension.COUNTRY]), *months)
        .group_by(col(tally.dimension), col(tally.value))
    )
    for query in (by_year, in_total):
        rows: list[Any] = list(session.exec(query))
        for row_year, dimension, value, count in rows:
            if count:
                key = (int(row_year), str(dimension), str(value))
                into[key] = into.get(key, 0) + int(count)


def _from_events(session: Session, start: date, end: date, into: Tallies) -> None:
    """The same counts for a few days, from the events themselves (ix_event_statistics)."""
    columns: dict[TallyDimension, Any] = {
        TallyDimension.TYPE: col(Event.type),
        TallyDimension.IRO_INVOLVEMENT: col(Event.iro_involvement),
        TallyDimension.COUNTRY: col(Event.country_party_id),
        TallyDimension.AUDIENCE_BITS: col(Event.audience_bits),
    }
    for dimension, column in columns.items():
        per_year = dimension in (TallyDimension.TYPE, TallyDimension.AUDIENCE_BITS)
        year = (_year(col(Event.start_date)) if per_year else literal(ALL_YEARS)).label("year")
        query = (
            select(year, column, func.count())
            .where(col(Event.deleted_at).is_(None), col(Event.start_date) >= start,
                   col(Event.start_date) <= end)
            .group_by(year, column)
        )
        for row_year, value, count in session.exec(query):
            key = (int(row_year), dimension.value, "" if value is None else str(value))
            into[key] = into.get(key, 0) + int(count)


def tallies(*, session: Session, start: date, end: date) -> Tallies:
    """Live events from `start` to `end` (both included) by year and by each dimension.

    Whole months come from event_month_tally; the days before the first and after the last
    whole month are counted from the events.
    """
    counts: Tallies = {}
    months = whole_months(start, end)
    if months is None:
        _from_events(session, start, end, counts)
        return counts
    first, last = months
    _from_tally(session, first, last, counts)
    if start < first:
        _from_events(session, start, first - timedelta(days=1), counts)
    if last < end:
        _from_events(session, last + timedelta(days=1), end, counts)
    return counts


def rebuild(*, session: Session) -> None:
    """Count every live event again into the tally (after a bulk load with triggers off)."""
    session.exec(delete(EventMonthTally))
    dialect = session.get_bind().dialect.name
    month: Any = (func.strftime("%Y-%m-01", col(Event.start_date)) if dialect == "sqlite"
                  else func.cast(func.date_trunc("month", col(Event.start_date)), Date))
    values: dict[TallyDimension, Any] = {
        TallyDimension.TYPE: col(Event.type),
        TallyDimension.IRO_INVOLVEMENT: col(Event.iro_involvement),
        TallyDimension.COUNTRY: func.coalesce(func.cast(col(Event.country_party_id), String),
                                              ""),
        TallyDimension.AUDIENCE_BITS: func.cast(col(Event.audience_bits), String),
    }
    for dimension, value in values.items():
        counted = (
            select(literal(dimension.value), month, value, func.count())
            .where(col(Event.deleted_at).is_(None))
            .group_by(month, value)
        )
        session.exec(insert(EventMonthTally).from_select(
            ["dimension", "month", "value", "events"], counted))
