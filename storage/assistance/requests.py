"""Assistance requests: recorded, moved along the Committee's procedure, closed; all audited.

A refused change raises AssistanceError, whose `code` names the words (templates/cli) and whose
`params` fill them: nothing is written then.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, or_
from sqlmodel import Session, col, delete, select

from storage import audit
from storage.assistance.model import (
    CLOSED,
    CLOSED_AFTER_MATCH,
    DETAIL_MAX,
    PROCEDURE,
    REFERENCE_MAX,
    SUMMARY_MAX,
    AssistanceArea,
    AssistanceNeed,
    AssistanceRequest,
    AssistanceStep,
    RequestChannel,
    RequestStatus,
    WeaponCategory,
)
from storage.parties import Party, PartyKind
from storage.problems import RefusedChange
from storage.submissions import RESOLUTION_ADOPTED

ENTITY = "assistance_request"


class AssistanceError(RefusedChange):
    """A refused change; `code` names a message of templates/cli/<lang>/messages.j2."""


@dataclass(frozen=True)
class Need:
    area: str
    weapon: str | None = None
    detail: str = ""


@dataclass(frozen=True)
class RequestFields:
    """What a person gives for a request; checked by `check_fields`."""

    received_on: date
    channel: str
    needs: tuple[Need, ...]
    reference: str = ""
    summary: str = ""
    consent_to_publish: bool = False


@dataclass(frozen=True)
class RequestView:
    request: AssistanceRequest
    party: Party
    needs: tuple[AssistanceNeed, ...] = field(default=())

    @property
    def areas(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(need.area for need in self.needs))


def _check_date(value: date, today: date, what: str) -> None:
    if value < RESOLUTION_ADOPTED:
        raise AssistanceError("assistance_date_too_early", what=what, value=value.isoformat())
    if value > today:
        raise AssistanceError("assistance_date_in_future", what=what, value=value.isoformat())


def check_fields(fields: RequestFields, today: date) -> None:
    """Refuse a request no person could have sent: every rule, before anything is written."""
    _check_date(fields.received_on, today, "received")
    if fields.channel not in set(RequestChannel):
        raise AssistanceError("assistance_unknown_channel", value=fields.channel,
                              allowed=", ".join(RequestChannel))
    if not fields.needs:
        raise AssistanceError("assistance_no_need")
    for need in fields.needs:
        if need.area not in set(AssistanceArea):
            raise AssistanceError("assistance_unknown_area", value=need.area,
                                  allowed=", ".join(AssistanceArea))
        if need.weapon is not None and need.weapon not in set(WeaponCategory):
            raise AssistanceError("assistance_unknown_weapon", value=need.weapon,
                                  allowed=", ".join(WeaponCategory))
        if len(need.detail) > DETAIL_MAX:
            raise AssistanceError("assistance_too_long", what="detail", limit=str(DETAIL_MAX))
    for what, text, limit in (("reference", fields.reference, REFERENCE_MAX),
                              ("summary", fields.summary, SUMMARY_MAX)):
        if len(text) > limit:
            raise AssistanceError("assistance_too_long", what=what, limit=str(limit))


def snapshot(request: AssistanceRequest, needs: Sequence[AssistanceNeed]) -> dict[str, Any]:
    def day(value: date | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "party_id": request.party_id, "received_on": day(request.received_on),
        "channel": request.channel, "reference": request.reference, "summary": request.summary,
        "consent_to_publish": request.consent_to_publish, "status": request.status,
        "status_on": day(request.status_on), "published_on": day(request.published_on),
        "closed_on": day(request.closed_on), "maintained_on": day(request.maintained_on),
        "confirmed": request.confirmed_at is not None,
        "needs": [{"area": n.area, "weapon": n.weapon, "detail": n.detail} for n in needs],
    }


def needs_of(*, session: Session, request_id: int) -> list[AssistanceNeed]:
    query = select(AssistanceNeed).where(AssistanceNeed.request_id == request_id)
    return list(session.exec(query.order_by(col(AssistanceNeed.id))))


def _write_needs(session: Session, request_id: int, needs: Sequence[Need]) -> None:
    session.exec(delete(AssistanceNeed).where(
        col(AssistanceNeed.request_id) == request_id))
    for need in needs:
        session.add(AssistanceNeed(request_id=request_id, area=need.area, weapon=need.weapon,
                                   detail=need.detail))
    session.flush()


def _audit(session: Session, request: AssistanceRequest, action: str,
           before: dict[str, Any] | None, actor: str, now: datetime) -> None:
    assert request.id is not None
    after = snapshot(request, needs_of(session=session, request_id=request.id))
    audit.record(session=session, actor=actor, action=action, entity=ENTITY,
                 entity_id=request.id, before=before, after=after, now=now)


def add(*, session: Session, party: Party, fields: RequestFields, actor: str, now: datetime,
        confirmed: bool = True) -> AssistanceRequest:
    """Record a request of the State `party`; `confirmed` False for one a PoC filed, which
    counts nowhere until staff confirm it."""
    if party.kind != PartyKind.STATE or party.id is None:
        raise AssistanceError("assistance_not_a_state", value=party.code)
    check_fields(fields, now.date())
    request = AssistanceRequest(
        party_id=party.id, received_on=fields.received_on, channel=fields.channel,
        reference=fields.reference, summary=fields.summary,
        consent_to_publish=fields.consent_to_publish, status=RequestStatus.RECEIVED,
        status_on=fields.received_on, confirmed_at=now if confirmed else None, created_at=now)
    session.add(request)
    session.flush()
    assert request.id is not None
    _write_needs(session, request.id, fields.needs)
    session.add(AssistanceStep(request_id=request.id, status=RequestStatus.RECEIVED,
                               reached_on=fields.received_on, actor=actor))
    _audit(session, request, "create", None, actor, now)
    return request


def edit(*, session: Session, request: AssistanceRequest, fields: RequestFields, actor: str,
         now: datetime) -> bool:
    """Replace what was recorded of a request (not its step); False when nothing changes."""
    assert request.id is not None
    check_fields(fields, now.date())
    if request.published_on is not None and not fields.consent_to_publish:
        raise AssistanceError("assistance_consent_published", id=str(request.id))
    before = snapshot(request, needs_of(session=session, request_id=request.id))
    request.received_on, request.channel = fields.received_on, fields.channel
    request.reference, request.summary = fields.reference, fields.summary
    request.consent_to_publish = fields.consent_to_publish
    _write_needs(session, request.id, fields.needs)
    if snapshot(request, needs_of(session=session, request_id=request.id)) == before:
        return False
    session.add(request)
    _audit(session, request, "update", before, actor, now)
    return True


def _allowed_next(current: str) -> tuple[str, ...]:
    if current in CLOSED:
        return ()
    position = PROCEDURE.index(RequestStatus(current))
    later = tuple(PROCEDURE[position + 1:])
    closing = CLOSED if position >= PROCEDURE.index(RequestStatus.MATCHED) else tuple(
        status for status in CLOSED if status not in CLOSED_AFTER_MATCH)
    return later + closing


def advance(*, session: Session, request: AssistanceRequest, to: str, on: date, actor: str,
            now: datetime, note: str = "") -> None:
    """Move a request to a later step of the procedure (or close it) on the day `on`."""
    assert request.id is not None
    if to not in set(RequestStatus):
        raise AssistanceError("assistance_unknown_status", value=to,
                              allowed=", ".join(RequestStatus))
    if to not in _allowed_next(request.status):
        raise AssistanceError("assistance_bad_step", id=str(request.id), current=request.status,
                              wanted=to, allowed=", ".join(_allowed_next(request.status)) or "-")
    _check_date(on, now.date(), "step")
    if on < request.status_on:
        raise AssistanceError("assistance_step_before_last", id=str(request.id),
                              value=on.isoformat(), last=request.status_on.isoformat())
    if len(note) > DETAIL_MAX:
        raise AssistanceError("assistance_too_long", what="note", limit=str(DETAIL_MAX))
    before = snapshot(request, needs_of(session=session, request_id=request.id))
    request.status, request.status_on = to, on
    if to in CLOSED:
        request.closed_on = on
    session.add(request)
    session.add(AssistanceStep(request_id=request.id, status=to, reached_on=on, actor=actor,
                               note=note))
    _audit(session, request, "step", before, actor, now)


def publish(*, session: Session, request: AssistanceRequest, on: date, actor: str,
            now: datetime) -> None:
    """Put a request on the Committee's website: only with the State's consent, only while
    it is open to providers or later, and not once closed."""
    assert request.id is not None
    if not request.consent_to_publish:
        raise AssistanceError("assistance_no_consent", id=str(request.id))
    if request.status in CLOSED or PROCEDURE.index(RequestStatus(request.status)) < \
            PROCEDURE.index(RequestStatus.OPEN):
        raise AssistanceError("assistance_not_publishable", id=str(request.id),
                              current=request.status)
    _check_date(on, now.date(), "published")
    before = snapshot(request, needs_of(session=session, request_id=request.id))
    request.published_on = on
    session.add(request)
    _audit(session, request, "publish", before, actor, now)


def maintain(*, session: Session, request: AssistanceRequest, on: date, actor: str,
             now: datetime) -> None:
    """The State said on `on` that it keeps this request in force."""
    assert request.id is not None
    if request.status in CLOSED:
        raise AssistanceError("assistance_closed", id=str(request.id), current=request.status)
    _check_date(on, now.date(), "maintained")
    before = snapshot(request, needs_of(session=session, request_id=request.id))
    request.maintained_on = on
    session.add(request)
    _audit(session, request, "maintain", before, actor, now)


def confirm(*, session: Session, request: AssistanceRequest, actor: str, now: datetime) -> bool:
    """Staff confirm a request a PoC filed; False when it already counted."""
    if request.confirmed_at is not None:
        return False
    assert request.id is not None
    before = snapshot(request, needs_of(session=session, request_id=request.id))
    request.confirmed_at = now
    session.add(request)
    _audit(session, request, "confirm", before, actor, now)
    return True


def get(*, session: Session, request_id: int) -> AssistanceRequest:
    found = session.get(AssistanceRequest, request_id)
    if found is None:
        raise AssistanceError("assistance_not_found", id=str(request_id))
    return found


def steps(*, session: Session, request_id: int) -> list[AssistanceStep]:
    query = select(AssistanceStep).where(AssistanceStep.request_id == request_id)
    return list(session.exec(query.order_by(col(AssistanceStep.reached_on),
                                            col(AssistanceStep.id))))


def on_website(day: date) -> list[ColumnElement[bool]]:
    """A request on the Committee's website on `day`: confirmed, published by then and not
    closed before it (a closed request comes off the list)."""
    return [col(AssistanceRequest.confirmed_at).is_not(None),
            col(AssistanceRequest.published_on) <= day,
            or_(col(AssistanceRequest.closed_on).is_(None), col(AssistanceRequest.closed_on) > day)]


def listing(*, session: Session, party_id: int | None = None, area: str | None = None,
            open_only: bool = False, published_on: date | None = None) -> list[RequestView]:
    """Requests with their State and needs, oldest first; `area`: those needing it;
    `published_on`: those on the website that day."""
    query = (select(AssistanceRequest, Party)
             .join(Party, col(Party.id) == col(AssistanceRequest.party_id))
             .order_by(col(AssistanceRequest.received_on), col(AssistanceRequest.id)))
    if party_id is not None:
        query = query.where(AssistanceRequest.party_id == party_id)
    if open_only:
        query = query.where(col(AssistanceRequest.status).not_in(list(CLOSED)))
    if published_on is not None:
        query = query.where(*on_website(published_on))
    rows = list(session.exec(query))
    ids = [request.id for request, _ in rows]
    needs: dict[int, list[AssistanceNeed]] = {}
    if ids:
        found = session.exec(select(AssistanceNeed)
                             .where(col(AssistanceNeed.request_id).in_(ids))
                             .order_by(col(AssistanceNeed.id)))
        for need in found:
            needs.setdefault(need.request_id, []).append(need)
    views = [RequestView(request, party, tuple(needs.get(request.id or 0, ())))
             for request, party in rows]
    return [view for view in views if area is None or area in view.areas]


def with_details(needs: Sequence[Need], stored: Sequence[AssistanceNeed]) -> tuple[Need, ...]:
    """`needs` given as area[/weapon] only (a file, an option), each with the detail already
    stored for the same area and weapon, so that restating the needs loses no detail."""
    details = {(need.area, need.weapon): need.detail for need in stored}
    return tuple(need if need.detail else Need(need.area, need.weapon,
                                               details.get((need.area, need.weapon), ""))
                 for need in needs)


@dataclass(frozen=True)
class Progress:
    """Where a request stands, as a file of the registry's own history says."""

    status: str
    status_on: date
    published_on: date | None = None
    closed_on: date | None = None
    maintained_on: date | None = None


def find(*, session: Session, party_id: int, received_on: date,
         reference: str) -> list[AssistanceRequest]:
    """The requests a State sent on a day under a reference (an import's identity)."""
    query = select(AssistanceRequest).where(AssistanceRequest.party_id == party_id,
                                            AssistanceRequest.received_on == received_on,
                                            AssistanceRequest.reference == reference)
    return list(session.exec(query.order_by(col(AssistanceRequest.id))))


def restore(*, session: Session, request: AssistanceRequest, fields: RequestFields,
            progress: Progress, actor: str, now: datetime) -> bool:
    """Set a request to what an import says, its step included (the file is the record of
    what happened, so the procedure's order is not replayed); a step the request had not
    reached becomes a row of its history. The caller checked the values. False when nothing
    changes."""
    assert request.id is not None
    before = snapshot(request, needs_of(session=session, request_id=request.id))
    moved = (request.status, request.status_on) != (progress.status, progress.status_on)
    request.received_on, request.channel = fields.received_on, fields.channel
    request.reference, request.summary = fields.reference, fields.summary
    request.consent_to_publish = fields.consent_to_publish
    request.status, request.status_on = progress.status, progress.status_on
    request.published_on, request.closed_on = progress.published_on, progress.closed_on
    request.maintained_on = progress.maintained_on
    _write_needs(session, request.id, fields.needs)
    if snapshot(request, needs_of(session=session, request_id=request.id)) == before:
        return False
    session.add(request)
    if moved:
        session.add(AssistanceStep(request_id=request.id, status=progress.status,
                                   reached_on=progress.status_on, actor=actor))
    _audit(session, request, "import", before, actor, now)
    return True
