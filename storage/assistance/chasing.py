"""What the scheduler reads and writes to chase assistance requests (scheduler/assistance*.py
hold the rules): the requests waiting at a step, the notices staff were given, the matches
to follow up, the providers' digests, and who at a party receives them.

Writing to States and organisations (follow-ups, digests) is off until staff turn it on
(`chasing_enabled`, audited): safe by default, as the reminders' paused policies are.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Column, UniqueConstraint, func
from sqlmodel import Field, Session, SQLModel, col, select

from storage import audit
from storage.assistance.model import (
    CLOSED,
    AssistanceNeed,
    AssistanceOffer,
    AssistanceProvider,
    AssistanceRequest,
    OfferStatus,
    ProviderArea,
    RequestStatus,
)
from storage.columns import UTCDateTime
from storage.outbox import OutboxMessage
from storage.parties import Party
from storage.pocs import PocRole, PocStatus, PointOfContact

FOLLOW_UP_KEY = "assistance-follow-up:"
DIGEST_KEY = "assistance-digest:"
SWITCH = "assistance_chasing"


class AssistanceNotice(SQLModel, table=True):
    """Staff were told that a request waited too long at a step: once per step reached."""

    __tablename__ = "assistance_notice"
    __table_args__ = (UniqueConstraint("request_id", "status", "status_on"),)

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="assistance_request.id", index=True)
    status: str = Field(max_length=20)
    status_on: date
    told_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class ServiceSwitch(SQLModel, table=True):
    """Something the service does only once staff turned it on (audited)."""

    __tablename__ = "service_switch"

    name: str = Field(primary_key=True, max_length=40)
    enabled: bool = False
    changed_by: str = Field(max_length=120)
    changed_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


@dataclass(frozen=True)
class OpenRequest:
    request_id: int
    party_id: int
    status: str
    status_on: date
    areas: tuple[str, ...]


def chasing_enabled(*, session: Session) -> bool:
    found = session.get(ServiceSwitch, SWITCH)
    return found is not None and found.enabled


def set_chasing(*, session: Session, enabled: bool, actor: str, now: datetime) -> bool:
    """Turn the follow-ups and digests on or off; False when it already was so."""
    found = session.get(ServiceSwitch, SWITCH)
    before = None if found is None else {"enabled": found.enabled}
    if found is not None and found.enabled == enabled:
        return False
    switch = found or ServiceSwitch(name=SWITCH, changed_by=actor, changed_at=now)
    switch.enabled, switch.changed_by, switch.changed_at = enabled, actor, now
    session.add(switch)
    audit.record(session=session, actor=actor, action="switch", entity="service_switch",
                 entity_id=SWITCH, before=before, after={"enabled": enabled}, now=now)
    return True


def open_requests(*, session: Session) -> list[OpenRequest]:
    """Confirmed requests not closed, with the areas they need, oldest first."""
    query = (select(AssistanceRequest)
             .where(col(AssistanceRequest.confirmed_at).is_not(None),
                    col(AssistanceRequest.status).not_in(list(CLOSED)))
             .order_by(col(AssistanceRequest.received_on), col(AssistanceRequest.id)))
    requests = list(session.exec(query))
    areas: dict[int, list[str]] = {}
    ids = [request.id for request in requests]
    if ids:
        for need in session.exec(select(AssistanceNeed).where(
                col(AssistanceNeed.request_id).in_(ids)).order_by(col(AssistanceNeed.id))):
            areas.setdefault(need.request_id, []).append(need.area)
    return [OpenRequest(request.id or 0, request.party_id, request.status, request.status_on,
                        tuple(dict.fromkeys(areas.get(request.id or 0, ()))))
            for request in requests]


Step = tuple[int, str, date]  # a request, the step it reached, the day it reached it


def untold(*, session: Session, steps: Sequence[Step]) -> list[Step]:
    """Of the steps given, those staff were not yet told about."""
    told = {(notice.request_id, notice.status, notice.status_on)
            for notice in session.exec(select(AssistanceNotice))}
    return [step for step in steps if step not in told]


def record_told(*, session: Session, steps: Sequence[Step],
                now: datetime) -> None:
    for request_id, status, status_on in steps:
        session.add(AssistanceNotice(request_id=request_id, status=status, status_on=status_on,
                                     told_at=now))


def matched_on(*, session: Session) -> dict[int, date]:
    """Requests matched and not closed -> the day of their first match."""
    query = (select(AssistanceOffer.request_id, func.min(AssistanceOffer.matched_on))
             .join(AssistanceRequest,
                   col(AssistanceRequest.id) == col(AssistanceOffer.request_id))
             .where(AssistanceOffer.status == OfferStatus.MATCHED,
                    col(AssistanceRequest.status).in_([RequestStatus.MATCHED,
                                                       RequestStatus.IN_PROGRESS]))
             .group_by(col(AssistanceOffer.request_id)))
    return {request_id: day for request_id, day in session.exec(query) if day is not None}


def sent_keys(*, session: Session, prefix: str) -> set[str]:
    """The dedupe keys of messages already queued under `prefix`."""
    query = select(OutboxMessage.dedupe_key).where(
        col(OutboxMessage.dedupe_key).startswith(prefix))
    return {key for key in session.exec(query) if key}


def provider_areas(*, session: Session) -> dict[int, tuple[int, tuple[str, ...]]]:
    """Active providers -> (their party, the areas they cover)."""
    providers = session.exec(select(AssistanceProvider).where(
        col(AssistanceProvider.withdrawn_on).is_(None)))
    areas: dict[int, list[str]] = {}
    for area in session.exec(select(ProviderArea).order_by(col(ProviderArea.area))):
        areas.setdefault(area.provider_id, []).append(area.area)
    return {provider.id or 0: (provider.party_id, tuple(areas.get(provider.id or 0, ())))
            for provider in providers}


def assistance_contacts(*, session: Session, party_id: int) -> dict[int, str]:
    """The active PoCs who receive a party's assistance mail (id -> time zone): its
    assistance PoCs, else its national ones, else any active PoC (never the Permanent
    Mission's address)."""
    query = select(PointOfContact).where(PointOfContact.party_id == party_id,
                                         PointOfContact.status == PocStatus.ACTIVE,
                                         PointOfContact.role != PocRole.MISSION)
    active = list(session.exec(query.order_by(col(PointOfContact.id))))
    for role in (PocRole.ASSISTANCE, PocRole.NATIONAL):
        chosen = {poc.id or 0: poc.timezone for poc in active if poc.role == role}
        if chosen:
            return chosen
    return {poc.id or 0: poc.timezone for poc in active}


def summaries(*, session: Session, request_ids: Sequence[int]) -> list[dict[str, Any]]:
    """What a message says of each request (plain values, kept in the outbox row as sent):
    its number, the State's code, the day received, the areas and the day first matched."""
    if not request_ids:
        return []
    rows = session.exec(select(AssistanceRequest, Party)
                        .join(Party, col(Party.id) == col(AssistanceRequest.party_id))
                        .where(col(AssistanceRequest.id).in_(list(request_ids)))
                        .order_by(col(AssistanceRequest.received_on),
                                  col(AssistanceRequest.id)))
    matches = matched_on(session=session)
    areas: dict[int, list[str]] = {}
    for need in session.exec(select(AssistanceNeed).where(
            col(AssistanceNeed.request_id).in_(list(request_ids)))
            .order_by(col(AssistanceNeed.id))):
        areas.setdefault(need.request_id, []).append(need.area)
    return [{"id": request.id, "state": party.code,
             "received_on": request.received_on.isoformat(),
             "areas": list(dict.fromkeys(areas.get(request.id or 0, ()))),
             "matched_on": matches[request.id].isoformat() if request.id in matches else None}
            for request, party in rows]
