"""Assistance requests follow the Committee's procedure; a refused change writes nothing."""

from datetime import date

import pytest
from sqlmodel import Session, select

from storage import audit
from storage.assistance import providers, requests
from storage.assistance.model import AssistanceRequest, RequestStatus
from storage.assistance.requests import AssistanceError, Need, RequestFields
from storage.parties import Party
from tests.support.outbox import NOW


def party(session: Session, code: str) -> Party:
    return session.exec(select(Party).where(Party.code == code)).one()


def fields(**changes: object) -> RequestFields:
    values: dict[str, object] = {
        "received_on": date(2019, 3, 4), "channel": "template",
        "needs": (Need("op3_cd", "chemical", "Customs training on dual-use goods"),
                  Need("training")),
        "reference": "NV/2019/12", "summary": "Border and export controls",
        "consent_to_publish": True,
    }
    return RequestFields(**(values | changes))  # type: ignore[arg-type]


def test_a_request_moves_along_the_procedure_and_each_step_is_kept(session: Session) -> None:
    request = requests.add(session=session, party=party(session, "KEN"), fields=fields(),
                           actor="ana", now=NOW)
    for status, day in (("circulated", date(2019, 3, 20)), ("open", date(2019, 4, 2))):
        requests.advance(session=session, request=request, to=status, on=day, actor="ana",
                         now=NOW)
    requests.publish(session=session, request=request, on=date(2019, 4, 3), actor="ana",
                     now=NOW)
    session.commit()
    assert request.status == RequestStatus.OPEN and request.published_on == date(2019, 4, 3)
    assert [(s.status, s.reached_on) for s in requests.steps(
        session=session, request_id=request.id or 0)] == [
        ("received", date(2019, 3, 4)), ("circulated", date(2019, 3, 20)),
        ("open", date(2019, 4, 2))]
    actions = [entry.action for entry in audit.entries(
        session=session, entity="assistance_request", entity_id=str(request.id))]
    assert actions == ["create", "step", "step", "publish"]


@pytest.mark.parametrize(("to", "code"), [
    ("received", "assistance_bad_step"),  # back to an earlier step
    ("met", "assistance_bad_step"),  # met before any match
    ("done", "assistance_unknown_status"),
])
def test_a_step_out_of_order_is_refused(session: Session, to: str, code: str) -> None:
    request = requests.add(session=session, party=party(session, "KEN"), fields=fields(),
                           actor="ana", now=NOW)
    requests.advance(session=session, request=request, to="circulated",
                     on=date(2019, 3, 20), actor="ana", now=NOW)
    with pytest.raises(AssistanceError) as refused:
        requests.advance(session=session, request=request, to=to, on=date(2019, 5, 1),
                         actor="ana", now=NOW)
    assert refused.value.code == code
    assert request.status == "circulated"


def test_publication_needs_the_states_consent(session: Session) -> None:
    request = requests.add(session=session, party=party(session, "KEN"),
                           fields=fields(consent_to_publish=False), actor="ana", now=NOW)
    requests.advance(session=session, request=request, to="open", on=date(2019, 4, 2),
                     actor="ana", now=NOW)
    with pytest.raises(AssistanceError) as refused:
        requests.publish(session=session, request=request, on=date(2019, 4, 3), actor="ana",
                         now=NOW)
    assert refused.value.code == "assistance_no_consent"
    assert request.published_on is None


@pytest.mark.parametrize(("changes", "code"), [
    ({"received_on": date(2003, 1, 1)}, "assistance_date_too_early"),
    ({"received_on": NOW.date().replace(year=NOW.year + 1)}, "assistance_date_in_future"),
    ({"needs": (Need("astrology"),)}, "assistance_unknown_area"),
    ({"needs": (Need("op2", "radiological"),)}, "assistance_unknown_weapon"),
    ({"needs": ()}, "assistance_no_need"),
    ({"channel": "pigeon"}, "assistance_unknown_channel"),
    ({"summary": "x" * 2001}, "assistance_too_long"),
])
def test_a_request_no_one_could_have_sent_is_refused_and_nothing_is_written(
    session: Session, changes: dict[str, object], code: str
) -> None:
    with pytest.raises(AssistanceError) as refused:
        requests.add(session=session, party=party(session, "KEN"), fields=fields(**changes),
                     actor="ana", now=NOW)
    assert refused.value.code == code
    assert session.exec(select(AssistanceRequest)).all() == []


def test_only_a_state_can_request(session: Session) -> None:
    with pytest.raises(AssistanceError) as refused:
        requests.add(session=session, party=party(session, "IAEA"), fields=fields(),
                     actor="ana", now=NOW)
    assert refused.value.code == "assistance_not_a_state"


def test_a_match_to_a_provider_that_does_not_cover_the_area_needs_an_override(
    session: Session,
) -> None:
    request = requests.add(session=session, party=party(session, "KEN"), fields=fields(),
                           actor="ana", now=NOW)
    requests.advance(session=session, request=request, to="open", on=date(2019, 4, 2),
                     actor="ana", now=NOW)
    provider = providers.register(session=session, party=party(session, "IAEA"),
                                  registered_on=date(2017, 1, 1), areas=["op3_ab", "training"],
                                  actor="ana", now=NOW)
    with pytest.raises(AssistanceError) as refused:
        providers.match(session=session, request=request, provider=provider,
                        on=date(2019, 6, 1), actor="ana", now=NOW)
    assert refused.value.code == "assistance_provider_area"
    assert refused.value.params["areas"] == "op3_cd"
    assert request.status == "open"
    offer = providers.match(session=session, request=request, provider=provider,
                            on=date(2019, 6, 1), actor="ana", now=NOW, override=True)
    session.commit()
    assert (offer.status, offer.matched_on) == ("matched", date(2019, 6, 1))
    assert (request.status, request.status_on) == ("matched", date(2019, 6, 1))
    requests.advance(session=session, request=request, to="met", on=date(2020, 6, 1),
                     actor="ana", now=NOW)
    assert request.closed_on == date(2020, 6, 1)
    with pytest.raises(AssistanceError):
        providers.offer(session=session, request=request, provider=provider,
                        offered_on=date(2020, 7, 1), detail="", actor="ana", now=NOW)
