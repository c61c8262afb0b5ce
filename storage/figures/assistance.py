"""The assistance figures of the seed paper (section 5) over a period; the counting rules are
written beside their keys in docs/report-json.md.

Only requests staff confirmed count. A request belongs to a period by the day it was
received. A State counts once per area however many of its requests need it. "Maintained in
force": a State with no request received in the period whose earlier request, still open at
the period's start, it said during the period it keeps in force. "Published" and "registered"
are read on the period's last day: published then and not closed before; registered then and
not withdrawn.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, and_, distinct, func, or_
from sqlmodel import Session, col, select

from storage.assistance.model import (
    AssistanceArea,
    AssistanceNeed,
    AssistanceOffer,
    AssistanceProvider,
    AssistanceRequest,
)
from storage.assistance.requests import on_website
from storage.events import Event, EventType
from storage.figures.period import Period
from storage.parties import Party, PartyKind


@dataclass(frozen=True)
class AssistanceFigures:
    period: Period
    requests: int  # received in the period
    requesting_states: int
    maintained_states: int  # kept an earlier request in force, filed none in the period
    states_by_area: Mapping[str, int]  # of the requesting States, how many needed each area
    published_requests: int  # on the website on the period's last day
    published_states: int
    registered_organisations: int  # organisations registered as providers on the last day
    registered_states: int
    responding_organisations: int  # of those, how many offered help in the period
    requests_answered_by_organisations: int  # requests those organisations offered help on
    regional_conferences: int


def _confirmed() -> ColumnElement[bool]:
    return col(AssistanceRequest.confirmed_at).is_not(None)


def _received_in(period: Period) -> list[ColumnElement[bool]]:
    return [_confirmed(), col(AssistanceRequest.received_on) >= period.start,
            col(AssistanceRequest.received_on) <= period.end]


def _open_on(day: date) -> ColumnElement[bool]:
    return or_(col(AssistanceRequest.closed_on).is_(None),
               col(AssistanceRequest.closed_on) > day)


def _states_by_area(session: Session, period: Period) -> dict[str, int]:
    rows = session.exec(
        select(AssistanceNeed.area, func.count(distinct(col(AssistanceRequest.party_id))))
        .join(AssistanceRequest, col(AssistanceRequest.id) == col(AssistanceNeed.request_id))
        .where(*_received_in(period)).group_by(col(AssistanceNeed.area)))
    counts = dict(rows.all())
    return {area: counts.get(area, 0) for area in AssistanceArea}


def _maintained_states(session: Session, period: Period) -> int:
    filed = select(AssistanceRequest.party_id).where(*_received_in(period))
    query = select(func.count(distinct(col(AssistanceRequest.party_id)))).where(
        _confirmed(), col(AssistanceRequest.received_on) < period.start,
        _open_on(period.start), col(AssistanceRequest.maintained_on) >= period.start,
        col(AssistanceRequest.maintained_on) <= period.end,
        col(AssistanceRequest.party_id).not_in(filed))
    return session.exec(query).one()


def _published(session: Session, day: date) -> tuple[int, int]:
    query = select(func.count(), func.count(distinct(col(AssistanceRequest.party_id)))).where(
        *on_website(day))
    requests, states = session.exec(query).one()
    return requests, states


def _registered(session: Session, day: date) -> dict[str, int]:
    query = (select(Party.kind, func.count()).select_from(AssistanceProvider)
             .join(Party, col(Party.id) == col(AssistanceProvider.party_id))
             .where(col(AssistanceProvider.registered_on) <= day,
                    or_(col(AssistanceProvider.withdrawn_on).is_(None),
                        col(AssistanceProvider.withdrawn_on) > day))
             .group_by(col(Party.kind)))
    return dict(session.exec(query).all())


def _organisation_responses(session: Session, period: Period) -> tuple[int, int]:
    query = (select(func.count(distinct(col(AssistanceOffer.provider_id))),
                    func.count(distinct(col(AssistanceOffer.request_id))))
             .select_from(AssistanceOffer)
             .join(AssistanceProvider,
                   col(AssistanceProvider.id) == col(AssistanceOffer.provider_id))
             .join(Party, col(Party.id) == col(AssistanceProvider.party_id))
             .join(AssistanceRequest,
                   col(AssistanceRequest.id) == col(AssistanceOffer.request_id))
             .where(Party.kind == PartyKind.ORGANISATION, _confirmed(),
                    and_(col(AssistanceOffer.offered_on) >= period.start,
                         col(AssistanceOffer.offered_on) <= period.end)))
    providers, requests = session.exec(query).one()
    return providers, requests


def _conferences(session: Session, period: Period) -> int:
    query = select(func.count()).select_from(Event).where(
        Event.type == EventType.ASSISTANCE_CONFERENCE, col(Event.deleted_at).is_(None),
        col(Event.start_date) >= period.start, col(Event.start_date) <= period.end)
    return session.exec(query).one()


def assistance_figures(*, session: Session, period: Period) -> AssistanceFigures:
    requests, states = session.exec(
        select(func.count(), func.count(distinct(col(AssistanceRequest.party_id))))
        .where(*_received_in(period))).one()
    published, published_states = _published(session, period.end)
    registered = _registered(session, period.end)
    responding, answered = _organisation_responses(session, period)
    return AssistanceFigures(
        period=period, requests=requests, requesting_states=states,
        maintained_states=_maintained_states(session, period),
        states_by_area=_states_by_area(session, period),
        published_requests=published, published_states=published_states,
        registered_organisations=registered.get(PartyKind.ORGANISATION, 0),
        registered_states=registered.get(PartyKind.STATE, 0),
        responding_organisations=responding, requests_answered_by_organisations=answered,
        regional_conferences=_conferences(session, period),
    )
