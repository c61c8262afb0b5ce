"""The Point of Contact Training Programme (seed paper, section 4.4): the regional courses.

A course is an outreach event of type poc_training (storage/events.py); this module adds the
region it served (TrainingRegion, a controlled list) and the PoCs who attended, and so their
States. Both live beside the event, in tables of their own: the event keeps its columns, and
a course whose region is not recorded yet is still an event. Every write is audited.
"""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Column
from sqlmodel import Field, Session, SQLModel, col, select

from storage import audit
from storage.columns import UTCDateTime
from storage.events import Event, EventType
from storage.parties import Party
from storage.pocs import PointOfContact, emails_of
from storage.problems import RefusedChange


class TrainingRegion(StrEnum):
    """The regions the Committee's courses serve (the paper's five, and any other)."""

    LATIN_AMERICA = "latin_america"
    CARICOM = "caricom"
    OSCE = "osce"  # the OSCE region
    ASIA_PACIFIC = "asia_pacific"
    AFRICAN_UNION = "african_union"  # the African Union region
    OTHER = "other"


REGIONS_SQL = ", ".join(f"'{region.value}'" for region in TrainingRegion)


class TrainingCourse(SQLModel, table=True):
    """The region a poc_training event served."""

    __tablename__ = "training_course"
    __table_args__ = (CheckConstraint(f"region IN ({REGIONS_SQL})",
                                      name="ck_training_course_region"),)

    event_id: int = Field(foreign_key="event.id", primary_key=True)
    region: str = Field(max_length=20)
    updated_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class TrainingAttendance(SQLModel, table=True):
    """A PoC who attended a course; the PoC's party is the State that attended."""

    __tablename__ = "training_attendance"

    event_id: int = Field(foreign_key="event.id", primary_key=True)
    poc_id: int = Field(foreign_key="poc.id", primary_key=True, index=True)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class TrainingError(RefusedChange):
    """A refused change: `code` names the message (templates/cli/en/messages.j2)."""


@dataclass(frozen=True)
class Attendee:
    poc: PointOfContact
    party: Party
    emails: tuple[str, ...]


@dataclass(frozen=True)
class CourseView:
    event: Event
    host: Party | None
    region: str | None  # None: not recorded yet
    attendees: int  # PoCs
    states: int  # distinct parties of those PoCs


def course(*, session: Session, event_id: int) -> Event:
    """The live poc_training event with this id, or a TrainingError saying why not."""
    event = session.get(Event, event_id)
    if event is None or event.deleted_at is not None:
        raise TrainingError("training_unknown_course", id=str(event_id))
    if event.type != EventType.POC_TRAINING:
        raise TrainingError("training_not_a_course", id=str(event_id), type=event.type)
    return event


def region_of(*, session: Session, event_id: int) -> str | None:
    found = session.get(TrainingCourse, event_id)
    return None if found is None else found.region


def set_region(*, session: Session, event: Event, region: str, actor: str,
               now: datetime) -> bool:
    """Record the region a course served; False when it has it already."""
    if region not in set(TrainingRegion):
        raise TrainingError("training_unknown_region", value=region,
                            allowed=", ".join(TrainingRegion))
    assert event.id is not None
    found = session.get(TrainingCourse, event.id)
    before = None if found is None else found.region
    if before == region:
        return False
    if found is None:
        found = TrainingCourse(event_id=event.id, region=region, updated_at=now)
    found.region, found.updated_at = region, now
    session.add(found)
    audit.record(session=session, actor=actor, action="update" if before else "create",
                 entity="training_course", entity_id=event.id,
                 before=None if before is None else {"region": before},
                 after={"region": region}, now=now)
    return True


def attend(*, session: Session, event: Event, poc: PointOfContact, actor: str,
           now: datetime) -> bool:
    """Record that a PoC attended a course; False when it is recorded already."""
    assert event.id is not None and poc.id is not None
    if session.get(TrainingAttendance, (event.id, poc.id)) is not None:
        return False
    session.add(TrainingAttendance(event_id=event.id, poc_id=poc.id, created_at=now))
    audit.record(session=session, actor=actor, action="create", entity="training_attendance",
                 entity_id=f"{event.id}/{poc.id}", before=None,
                 after={"event_id": event.id, "poc_id": poc.id, "party_id": poc.party_id},
                 now=now)
    return True


def unattend(*, session: Session, event: Event, poc: PointOfContact, actor: str,
             now: datetime) -> bool:
    """Take back a recorded attendance; False when there was none."""
    assert event.id is not None and poc.id is not None
    found = session.get(TrainingAttendance, (event.id, poc.id))
    if found is None:
        return False
    session.delete(found)
    audit.record(session=session, actor=actor, action="delete", entity="training_attendance",
                 entity_id=f"{event.id}/{poc.id}",
                 before={"event_id": event.id, "poc_id": poc.id, "party_id": poc.party_id},
                 after=None, now=now)
    return True


def attendees(*, session: Session, event_id: int) -> list[Attendee]:
    """The PoCs who attended a course, by party code and name."""
    query = (select(PointOfContact, Party)
             .join(TrainingAttendance, col(TrainingAttendance.poc_id) == col(PointOfContact.id))
             .join(Party, col(Party.id) == col(PointOfContact.party_id))
             .where(TrainingAttendance.event_id == event_id)
             .order_by(col(Party.code), col(PointOfContact.full_name)))
    return [Attendee(poc, party, emails_of(session=session, poc_id=poc.id or 0))
            for poc, party in session.exec(query)]


def listing(*, session: Session) -> list[CourseView]:
    """Every live poc_training event, by start date, with its region and attendance."""
    events = list(session.exec(
        select(Event).where(Event.type == EventType.POC_TRAINING,
                            col(Event.deleted_at).is_(None))
        .order_by(col(Event.start_date), col(Event.id))))
    regions = dict(session.exec(select(TrainingCourse.event_id, TrainingCourse.region)).all())
    hosts = {p.id: p for p in session.exec(select(Party))}
    attended: dict[int, list[tuple[int, int]]] = {}
    for event_id, poc_id, party_id in session.exec(
        select(TrainingAttendance.event_id, TrainingAttendance.poc_id, PointOfContact.party_id)
        .join(PointOfContact, col(PointOfContact.id) == col(TrainingAttendance.poc_id))
    ):
        attended.setdefault(event_id, []).append((poc_id, party_id))
    views = []
    for event in events:
        assert event.id is not None
        rows = attended.get(event.id, [])
        views.append(CourseView(
            event, hosts.get(event.country_party_id) if event.country_party_id else None,
            regions.get(event.id), len(rows), len({party for _, party in rows})))
    return views
