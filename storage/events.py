"""Outreach events: workshops, conferences, visits and the like, with audiences and organisers.

Deleting is soft (soft_delete): `deleted_at` is set and the row, with its audit history,
stays; every listing, search, look-up and export leaves deleted events out.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Column, Index, func, or_, text, update
from sqlalchemy.engine import CursorResult
from sqlmodel import Field, Session, SQLModel, col, select

from storage import audit
from storage.casefold import unicode_lower
from storage.columns import UTCDateTime
from storage.parties import Party

# An organiser that is neither an organisation nor a State: the 1540 Committee itself.
COMMITTEE = "committee"


class EventMode(StrEnum):
    IN_PERSON = "in_person"
    VIRTUAL = "virtual"
    HYBRID = "hybrid"


class EventType(StrEnum):
    WORKSHOP = "workshop"
    CONFERENCE = "conference"
    POC_TRAINING = "poc_training"
    VISIT = "visit"
    PEER_REVIEW = "peer_review"
    ROUNDTABLE = "roundtable"
    WEBINAR = "webinar"
    BRIEFING = "briefing"
    # a regional assistance conference, a platform for match-making (seed paper, section 5)
    ASSISTANCE_CONFERENCE = "assist_conference"
    OTHER = "other"


class LeadBody(StrEnum):
    """Who led the event (seed paper, section 6): the 1540 Committee itself, or another
    Security Council committee whose event (a visit to a State, mostly) the 1540 Committee
    took part in, or several committees together. Only the 1540 Committee's own visits are
    "visits at a State's invitation" (storage/figures/visits.py)."""

    COMMITTEE = "committee"  # the 1540 Committee
    CTC = "ctc"  # the Counter-Terrorism Committee (resolution 1373 (2001))
    C1267 = "c1267"  # the 1267/1989/2253 ISIL (Da'esh) and Al-Qaida Sanctions Committee
    JOINT = "joint"  # the 1540 Committee with one or both of the others, together


class IroInvolvement(StrEnum):
    ORGANISED = "organised"
    CO_ORGANISED = "co_organised"
    INVOLVED = "involved"
    NONE = "none"


class CommitteeRole(StrEnum):
    CHAIR = "chair"
    MEMBER = "member"
    EXPERT = "expert"


class Audience(StrEnum):
    STATES = "states"
    ACADEMIA = "academia"
    INDUSTRY = "industry"
    PARLIAMENTARIANS = "parliamentarians"
    CIVIL_SOCIETY = "civil_society"
    ORGANISATIONS = "organisations"


# One bit per audience in Event.audience_bits. Stored values: never renumber a bit.
AUDIENCE_BITS: dict[str, int] = {
    Audience.STATES: 1,
    Audience.ACADEMIA: 2,
    Audience.INDUSTRY: 4,
    Audience.PARLIAMENTARIANS: 8,
    Audience.CIVIL_SOCIETY: 16,
    Audience.ORGANISATIONS: 32,
}


def audience_bits(audiences: tuple[str, ...]) -> int:
    """The bit set of these audiences, as Event.audience_bits stores it."""
    bits = 0
    for audience in audiences:
        bits |= AUDIENCE_BITS[audience]
    return bits


LIVE_EVENT = "deleted_at IS NULL"


class Event(SQLModel, table=True):
    __tablename__ = "event"
    # The statistics read only live events by day: this partial index holds every column
    # they group or count by, so the figures come from the index alone
    # (storage/figures/statistics.py).
    # Also counted per month, by triggers, in event_month_tally (storage/figures/tally.py).
    __table_args__ = (
        Index("ix_event_statistics", "start_date", "type", "iro_involvement",
              "country_party_id", "audience_bits",
              sqlite_where=text(LIVE_EVENT), postgresql_where=text(LIVE_EVENT)),
        Index("ix_event_type_day", "type", "start_date", "country_party_id",
              sqlite_where=text(LIVE_EVENT), postgresql_where=text(LIVE_EVENT)),
    )

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=300)
    start_date: date  # indexed for live events by ix_event_statistics
    end_date: date
    city: str = Field(default="", max_length=120)
    country_party_id: int | None = Field(default=None, foreign_key="party.id", index=True)
    mode: str = Field(default=EventMode.IN_PERSON, max_length=20)
    type: str = Field(default=EventType.OTHER, max_length=20)
    iro_involvement: str = Field(default=IroInvolvement.NONE, max_length=20)
    participants: int | None = None
    committee_role: str | None = Field(default=None, max_length=20)
    source_url: str = Field(default="", max_length=500)
    notes: str = Field(default="", max_length=2000)
    lead_body: str = Field(default=LeadBody.COMMITTEE, max_length=20,
                           sa_column_kwargs={"server_default": LeadBody.COMMITTEE.value})
    # A copy of the event's rows in event_audience (AUDIENCE_BITS), written with them: the
    # audience counts are then a sum over one table instead of a join with a million rows.
    audience_bits: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    deleted_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    created_by: str = Field(max_length=120)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    updated_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class EventAudience(SQLModel, table=True):
    __tablename__ = "event_audience"

    event_id: int = Field(foreign_key="event.id", primary_key=True)
    audience: str = Field(primary_key=True, max_length=20)


class EventOrganiser(SQLModel, table=True):
    """An organiser in the order given: an organisation acronym, an ISO3 code or "committee"."""

    __tablename__ = "event_organiser"

    event_id: int = Field(foreign_key="event.id", primary_key=True)
    position: int = Field(primary_key=True)
    code: str = Field(max_length=20)


@dataclass(frozen=True)
class EventFields:
    """Everything a person can set on an event, already validated."""

    title: str
    start_date: date
    end_date: date
    city: str = ""
    country_party_id: int | None = None
    mode: str = EventMode.IN_PERSON
    type: str = EventType.OTHER
    iro_involvement: str = IroInvolvement.NONE
    participants: int | None = None
    committee_role: str | None = None
    source_url: str = ""
    notes: str = ""
    lead_body: str = LeadBody.COMMITTEE
    audiences: tuple[str, ...] = ()
    organisers: tuple[str, ...] = ()


@dataclass(frozen=True)
class EventView:
    event: Event
    country: Party | None
    audiences: tuple[str, ...]
    organisers: tuple[str, ...]


_SCALARS = ("title", "start_date", "end_date", "city", "country_party_id", "mode", "type",
            "iro_involvement", "participants", "committee_role", "source_url", "notes",
            "lead_body")


def audiences_of(*, session: Session, event_id: int) -> tuple[str, ...]:
    query = select(EventAudience.audience).where(EventAudience.event_id == event_id)
    stored = set(session.exec(query))
    return tuple(audience.value for audience in Audience if audience.value in stored)


def organisers_of(*, session: Session, event_id: int) -> tuple[str, ...]:
    query = (select(EventOrganiser.code).where(EventOrganiser.event_id == event_id)
             .order_by(col(EventOrganiser.position)))
    return tuple(session.exec(query))


def fields_of(*, session: Session, event: Event) -> EventFields:
    assert event.id is not None
    values = {name: getattr(event, name) for name in _SCALARS}
    return EventFields(**values, audiences=audiences_of(session=session, event_id=event.id),
                       organisers=organisers_of(session=session, event_id=event.id))


def snapshot(fields: EventFields) -> dict[str, Any]:
    return {
        "title": fields.title,
        "start_date": fields.start_date.isoformat(),
        "end_date": fields.end_date.isoformat(),
        "city": fields.city,
        "country_party_id": fields.country_party_id,
        "mode": fields.mode,
        "type": fields.type,
        "iro_involvement": fields.iro_involvement,
        "participants": fields.participants,
        "committee_role": fields.committee_role,
        "source_url": fields.source_url,
        "notes": fields.notes,
        "lead_body": fields.lead_body,
        "audiences": list(fields.audiences),
        "organisers": list(fields.organisers),
    }


def find(*, session: Session, start_date: date, title: str) -> Event | None:
    """The live event on this day with this title, whatever its case.

    Case is folded in Python over the day's few events: SQLite's lower() knows only ASCII,
    and "Séminaire" must match "SÉMINAIRE" there as on PostgreSQL.
    """
    query = select(Event).where(Event.start_date == start_date, col(Event.deleted_at).is_(None))
    wanted = title.casefold()
    return next((e for e in session.exec(query) if e.title.casefold() == wanted), None)


def _write_children(session: Session, event_id: int, fields: EventFields) -> None:
    for audience in session.exec(select(EventAudience).where(EventAudience.event_id == event_id)):
        session.delete(audience)
    for organiser in session.exec(
        select(EventOrganiser).where(EventOrganiser.event_id == event_id)
    ):
        session.delete(organiser)
    session.flush()
    for audience_code in fields.audiences:
        session.add(EventAudience(event_id=event_id, audience=audience_code))
    for position, code in enumerate(fields.organisers):
        session.add(EventOrganiser(event_id=event_id, position=position, code=code))


def add(
    *, session: Session, fields: EventFields, actor: str, now: datetime
) -> Event:
    moment = now
    values = {name: getattr(fields, name) for name in _SCALARS}
    event = Event(**values, audience_bits=audience_bits(fields.audiences), created_by=actor,
                  created_at=moment, updated_at=moment)
    session.add(event)
    session.flush()
    assert event.id is not None
    _write_children(session, event.id, fields)
    audit.record(
        session=session, actor=actor, action="create", entity="event", entity_id=event.id,
        before=None, after=snapshot(fields), now=moment,
    )
    return event


def amend(
    *, session: Session, event: Event, fields: EventFields, actor: str,
    now: datetime,
) -> bool:
    """Give an event these values; False when it has them already."""
    current = fields_of(session=session, event=event)
    if current == fields:
        return False
    assert event.id is not None
    moment = now
    for name in _SCALARS:
        setattr(event, name, getattr(fields, name))
    event.audience_bits = audience_bits(fields.audiences)
    event.updated_at = moment
    session.add(event)
    if (current.audiences, current.organisers) != (fields.audiences, fields.organisers):
        _write_children(session, event.id, fields)
    audit.record(
        session=session, actor=actor, action="update", entity="event", entity_id=event.id,
        before=snapshot(current), after=snapshot(fields), now=moment,
    )
    return True


def _views(session: Session, rows: Sequence[tuple[Event, Party | None]]) -> list[EventView]:
    views = []
    for event, country in rows:
        assert event.id is not None
        views.append(EventView(event, country,
                               audiences_of(session=session, event_id=event.id),
                               organisers_of(session=session, event_id=event.id)))
    return views


def listing(*, session: Session) -> list[EventView]:
    """Live events by start date and title."""
    query = (select(Event).where(col(Event.deleted_at).is_(None))
             .order_by(col(Event.start_date), col(Event.title)))
    events: Sequence[Event] = list(session.exec(query))
    countries = {p.id: p for p in session.exec(select(Party))}
    return _views(session, [
        (event, countries.get(event.country_party_id) if event.country_party_id else None)
        for event in events])


def search(*, session: Session, query: str, offset: int, limit: int
           ) -> tuple[list[EventView], int]:
    """One page of live events, newest first (start date, then id, descending), and how many
    there are in all.

    A non-blank `query` keeps the events whose title, city or host country's name contains
    it, or whose host country's ISO3 code it is, whatever the case (storage.casefold).
    """
    statement = (select(Event, Party)
                 .join(Party, col(Party.id) == col(Event.country_party_id), isouter=True)
                 .where(col(Event.deleted_at).is_(None)))
    wanted = query.strip()
    if wanted:
        needle = wanted.lower()
        statement = statement.where(or_(
            unicode_lower(Event.title).contains(needle, autoescape=True),
            unicode_lower(Event.city).contains(needle, autoescape=True),
            unicode_lower(Party.name).contains(needle, autoescape=True),
            col(Party.code) == wanted.upper(),
        ))
    total = session.exec(select(func.count()).select_from(statement.subquery())).one()
    page = session.exec(statement.order_by(col(Event.start_date).desc(), col(Event.id).desc())
                        .offset(offset).limit(limit)).all()
    return _views(session, page), total


class Deletion(StrEnum):
    DELETED = "deleted"
    ALREADY_DELETED = "already_deleted"
    UNKNOWN = "unknown"


def soft_delete(*, session: Session, event_id: int, actor: str, now: datetime
                ) -> tuple[Deletion, Event | None]:
    """Mark the event deleted, with an audit entry holding what it was; the event as it is
    now (None when there is no such id).

    A conditional UPDATE: of two people confirming at once, one deletes and the other is
    told it was already deleted; neither gets an error, and one audit entry is written.
    """
    claimed = session.exec(
        update(Event).where(col(Event.id) == event_id, col(Event.deleted_at).is_(None))
        .values(deleted_at=now, updated_at=now)
        .execution_options(synchronize_session=False))
    assert isinstance(claimed, CursorResult)
    event = session.get(Event, event_id, populate_existing=True)
    if event is None:
        return Deletion.UNKNOWN, None
    if claimed.rowcount != 1:
        return Deletion.ALREADY_DELETED, event
    audit.record(
        session=session, actor=actor, action="delete", entity="event", entity_id=event_id,
        before=snapshot(fields_of(session=session, event=event)), after=None, now=now,
    )
    return Deletion.DELETED, event
