"""Assistance providers (States and organisations), their areas, their offers against requests,
and the match the Committee records. Every change audited; a refusal is an AssistanceError."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from storage import audit
from storage.assistance.model import (
    CLOSED,
    DETAIL_MAX,
    AssistanceArea,
    AssistanceOffer,
    AssistanceProvider,
    AssistanceRequest,
    OfferStatus,
    ProviderArea,
    RequestStatus,
)
from storage.assistance.requests import AssistanceError, advance, needs_of
from storage.parties import BODY, Party
from storage.submissions import RESOLUTION_ADOPTED


@dataclass(frozen=True)
class ProviderView:
    provider: AssistanceProvider
    party: Party
    areas: tuple[ProviderArea, ...]

    @property
    def area_codes(self) -> tuple[str, ...]:
        return tuple(area.area for area in self.areas)


def _check_day(value: date, today: date, what: str) -> None:
    if value < RESOLUTION_ADOPTED:
        raise AssistanceError("assistance_date_too_early", what=what, value=value.isoformat())
    if value > today:
        raise AssistanceError("assistance_date_in_future", what=what, value=value.isoformat())


def _provider_snapshot(session: Session, provider: AssistanceProvider) -> dict[str, Any]:
    areas = areas_of(session=session, provider_id=provider.id or 0)
    return {"party_id": provider.party_id, "registered_on": provider.registered_on.isoformat(),
            "withdrawn_on": provider.withdrawn_on.isoformat() if provider.withdrawn_on else None,
            "areas": {area.area: area.since.isoformat() for area in areas}}


def areas_of(*, session: Session, provider_id: int) -> list[ProviderArea]:
    query = select(ProviderArea).where(ProviderArea.provider_id == provider_id)
    return list(session.exec(query.order_by(col(ProviderArea.area))))


def find(*, session: Session, party_id: int) -> AssistanceProvider | None:
    query = select(AssistanceProvider).where(AssistanceProvider.party_id == party_id)
    return session.exec(query).first()


def register(*, session: Session, party: Party, registered_on: date,
             areas: Sequence[str], actor: str, now: datetime) -> AssistanceProvider:
    """Register `party` as a provider covering `areas` from `registered_on`, or add areas
    to one already registered (an area keeps the day it was first covered)."""
    _check_day(registered_on, now.date(), "registered")
    for area in areas:
        if area not in set(AssistanceArea):
            raise AssistanceError("assistance_unknown_area", value=area,
                                  allowed=", ".join(AssistanceArea))
    if party.kind == BODY:
        raise AssistanceError("assistance_provider_is_a_body", party=party.code)
    assert party.id is not None
    provider = find(session=session, party_id=party.id)
    before = None if provider is None else _provider_snapshot(session, provider)
    if provider is None:
        provider = AssistanceProvider(party_id=party.id, registered_on=registered_on)
        session.add(provider)
        session.flush()
    elif provider.withdrawn_on is not None:
        provider.withdrawn_on = None  # registered again
        session.add(provider)
    assert provider.id is not None
    covered = {area.area for area in areas_of(session=session, provider_id=provider.id)}
    for area in dict.fromkeys(areas):
        if area not in covered:
            session.add(ProviderArea(provider_id=provider.id, area=area, since=registered_on))
    session.flush()
    after = _provider_snapshot(session, provider)
    if after != before:
        audit.record(session=session, actor=actor, action="register" if before is None
                     else "update", entity="assistance_provider", entity_id=provider.id,
                     before=before, after=after, now=now)
    return provider


def withdraw(*, session: Session, provider: AssistanceProvider, on: date, actor: str,
             now: datetime) -> None:
    _check_day(on, now.date(), "withdrawn")
    before = _provider_snapshot(session, provider)
    provider.withdrawn_on = on
    session.add(provider)
    audit.record(session=session, actor=actor, action="withdraw", entity="assistance_provider",
                 entity_id=provider.id or 0, before=before,
                 after=_provider_snapshot(session, provider), now=now)


def listing(*, session: Session) -> list[ProviderView]:
    rows = session.exec(select(AssistanceProvider, Party)
                        .join(Party, col(Party.id) == col(AssistanceProvider.party_id))
                        .order_by(col(Party.kind), col(Party.code)))
    areas: dict[int, list[ProviderArea]] = {}
    for area in session.exec(select(ProviderArea).order_by(col(ProviderArea.area))):
        areas.setdefault(area.provider_id, []).append(area)
    return [ProviderView(provider, party, tuple(areas.get(provider.id or 0, ())))
            for provider, party in rows]


def _offer_snapshot(offer: AssistanceOffer) -> dict[str, Any]:
    return {"request_id": offer.request_id, "provider_id": offer.provider_id,
            "offered_on": offer.offered_on.isoformat(), "detail": offer.detail,
            "status": offer.status,
            "matched_on": offer.matched_on.isoformat() if offer.matched_on else None}


def _audit_offer(session: Session, offer: AssistanceOffer, action: str,
                 before: dict[str, Any] | None, actor: str, now: datetime) -> None:
    audit.record(session=session, actor=actor, action=action, entity="assistance_offer",
                 entity_id=offer.id or 0, before=before, after=_offer_snapshot(offer), now=now)


def offer(*, session: Session, request: AssistanceRequest, provider: AssistanceProvider,
          offered_on: date, detail: str, actor: str, now: datetime) -> AssistanceOffer:
    """Record that `provider` offered help against `request` (once per provider)."""
    if request.status in CLOSED:
        raise AssistanceError("assistance_closed", id=str(request.id), current=request.status)
    if provider.withdrawn_on is not None:
        raise AssistanceError("assistance_provider_withdrawn", id=str(provider.id))
    _check_day(offered_on, now.date(), "offered")
    if len(detail) > DETAIL_MAX:
        raise AssistanceError("assistance_too_long", what="detail", limit=str(DETAIL_MAX))
    existing = session.exec(select(AssistanceOffer).where(
        AssistanceOffer.request_id == request.id,
        AssistanceOffer.provider_id == provider.id)).first()
    if existing is not None:
        raise AssistanceError("assistance_offer_exists", id=str(existing.id))
    assert request.id is not None and provider.id is not None
    made = AssistanceOffer(request_id=request.id, provider_id=provider.id,
                           offered_on=offered_on, detail=detail)
    session.add(made)
    session.flush()
    _audit_offer(session, made, "create", None, actor, now)
    return made


def uncovered_areas(*, session: Session, request: AssistanceRequest,
                    provider: AssistanceProvider) -> list[str]:
    """The areas the request needs that the provider does not cover."""
    covered = {area.area for area in areas_of(session=session, provider_id=provider.id or 0)}
    needed = dict.fromkeys(need.area for need in needs_of(session=session,
                                                          request_id=request.id or 0))
    return [area for area in needed if area not in covered]


def match(*, session: Session, request: AssistanceRequest, provider: AssistanceProvider,
          on: date, actor: str, now: datetime, override: bool = False,
          detail: str = "") -> AssistanceOffer:
    """Record the Committee's match of `request` with `provider`'s offer (made now when the
    provider had none on file). A provider that does not cover every area needed is refused
    unless staff override."""
    uncovered = uncovered_areas(session=session, request=request, provider=provider)
    if uncovered and not override:
        raise AssistanceError("assistance_provider_area", id=str(request.id),
                              areas=", ".join(uncovered))
    found = session.exec(select(AssistanceOffer).where(
        AssistanceOffer.request_id == request.id,
        AssistanceOffer.provider_id == provider.id)).first()
    made = found or offer(session=session, request=request, provider=provider,
                          offered_on=on, detail=detail, actor=actor, now=now)
    if made.status != OfferStatus.OFFERED:
        raise AssistanceError("assistance_offer_not_open", id=str(made.id), current=made.status)
    if request.status not in (RequestStatus.MATCHED, RequestStatus.IN_PROGRESS):
        advance(session=session, request=request, to=RequestStatus.MATCHED, on=on,
                actor=actor, now=now)
    before = _offer_snapshot(made)
    made.status, made.matched_on = OfferStatus.MATCHED, on
    session.add(made)
    _audit_offer(session, made, "match", before, actor, now)
    return made


def offers(*, session: Session, request_id: int | None = None
           ) -> list[tuple[AssistanceOffer, Party]]:
    query = (select(AssistanceOffer, Party)
             .join(AssistanceProvider,
                   col(AssistanceProvider.id) == col(AssistanceOffer.provider_id))
             .join(Party, col(Party.id) == col(AssistanceProvider.party_id))
             .order_by(col(AssistanceOffer.offered_on), col(AssistanceOffer.id)))
    if request_id is not None:
        query = query.where(AssistanceOffer.request_id == request_id)
    return [(made, party) for made, party in session.exec(query)]
