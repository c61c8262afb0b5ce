"""The Point of Contact Training Programme's figures (seed paper, section 4.4) over a period.

A course is a live (not deleted) event of type poc_training whose start date is in the
period; its region is the one recorded in training_course (NO_REGION when none is). A State
attended when one of its PoCs (whatever the PoC's status today) is recorded at a course of the
period. "Never attended": the Member States with an active Point of Contact today none of whose
PoCs attended a course of the period (a State without a PoC is not among them: it has no one
to send). The rules are written beside the keys in docs/report-json.md.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import ColumnElement, distinct, func
from sqlmodel import Session, col, select

from storage.events import Event, EventType
from storage.figures.period import Period
from storage.parties import Party, PartyKind
from storage.pocs import PocStatus, PointOfContact
from storage.trainings import TrainingAttendance, TrainingCourse, TrainingRegion

NO_REGION = "none"


@dataclass(frozen=True)
class TrainingFigures:
    period: Period
    courses: int
    by_region: Mapping[str, int]  # every TrainingRegion, then NO_REGION
    # host countries' ISO3 codes by region, a course each, by start date (no host: left out)
    hosts_by_region: Mapping[str, list[str]]
    pocs_attended: int  # distinct PoCs (of States and organisations)
    attended: list[str]  # ISO3 codes of the States whose PoCs attended, sorted
    never_attended: list[str]  # States with an active PoC that did not, sorted

    @property
    def states_attended(self) -> int:
        return len(self.attended)

    @property
    def states_never_attended(self) -> int:
        return len(self.never_attended)


def _courses_in(period: Period) -> list[ColumnElement[bool]]:
    return [col(Event.type) == EventType.POC_TRAINING, col(Event.deleted_at).is_(None),
            col(Event.start_date) >= period.start, col(Event.start_date) <= period.end]


def _by_region(session: Session, period: Period) -> tuple[dict[str, int], dict[str, list[str]]]:
    region = func.coalesce(col(TrainingCourse.region), NO_REGION).label("region")
    rows = session.exec(
        select(region, col(Party.code))
        .select_from(Event)
        .join(TrainingCourse, col(TrainingCourse.event_id) == col(Event.id), isouter=True)
        .join(Party, col(Party.id) == col(Event.country_party_id), isouter=True)
        .where(*_courses_in(period))
        .order_by(col(Event.start_date), col(Event.id)))
    counts = dict.fromkeys([*TrainingRegion, NO_REGION], 0)
    hosts: dict[str, list[str]] = {key: [] for key in counts}
    for found, host in rows:
        counts[found] += 1
        if host:
            hosts[found].append(host)
    return {str(k): v for k, v in counts.items()}, {str(k): v for k, v in hosts.items()}


def _attending(period: Period) -> tuple[ColumnElement[bool], ...]:
    return (col(TrainingAttendance.event_id).in_(select(Event.id).where(*_courses_in(period))),)


def training_figures(*, session: Session, period: Period) -> TrainingFigures:
    by_region, hosts = _by_region(session, period)
    courses = sum(by_region.values())
    pocs_attended = session.exec(
        select(func.count(distinct(col(TrainingAttendance.poc_id)))).where(*_attending(period))
    ).one()
    attending_states = (
        select(PointOfContact.party_id)
        .join(TrainingAttendance, col(TrainingAttendance.poc_id) == col(PointOfContact.id))
        .where(*_attending(period)))
    attended = list(session.exec(
        select(Party.code).where(Party.kind == PartyKind.STATE,
                                 col(Party.id).in_(attending_states))
        .order_by(col(Party.code))))
    with_poc = select(PointOfContact.party_id).where(PointOfContact.status == PocStatus.ACTIVE)
    never = list(session.exec(
        select(Party.code).where(Party.kind == PartyKind.STATE, col(Party.id).in_(with_poc),
                                 col(Party.id).not_in(attending_states))
        .order_by(col(Party.code))))
    return TrainingFigures(period=period, courses=courses, by_region=by_region,
                           hosts_by_region=hosts, pocs_attended=pocs_attended,
                           attended=attended, never_attended=never)
