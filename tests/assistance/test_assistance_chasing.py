"""The assistance sweep: staff told once per overdue step; follow-ups and digests written to
States and organisations only once staff turned chasing on, and each only once."""

from datetime import UTC, date, datetime

from sqlmodel import Session, col, select

from scheduler.assistance import step_days
from scheduler.assistance_sweep import chase, plan_chase
from storage.assistance import chasing, feedback, providers, requests
from storage.assistance.model import AssistanceRequest
from storage.assistance.requests import Need, RequestFields
from storage.outbox import Delivery, OutboxMessage
from storage.parties import Party
from tests.support.outbox import NOW, add_poc

LATER = datetime(2027, 6, 1, 12, 0, tzinfo=UTC)  # a weekday, in working hours in UTC


def party(session: Session, code: str) -> Party:
    return session.exec(select(Party).where(Party.code == code)).one()


def open_request(session: Session, state: str, *areas: str, on: date) -> AssistanceRequest:
    made = requests.add(session=session, party=party(session, state), fields=RequestFields(
        received_on=on, channel="template", needs=tuple(Need(a) for a in areas)),
        actor="ana", now=NOW)
    requests.advance(session=session, request=made, to="open", on=on, actor="ana", now=NOW)
    session.commit()
    return made


def messages(session: Session) -> list[OutboxMessage]:
    return list(session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))))


def test_staff_are_told_once_of_a_request_waiting_too_long(session: Session) -> None:
    late = open_request(session, "KEN", "training", on=date(2026, 1, 5))
    in_time = open_request(session, "PER", "training", on=date(2026, 11, 1))  # 26 days
    first = chase(session=session, now=NOW, durations=step_days())
    assert [(o.request_id, o.status, o.days_waited) for o in first.told] == [
        (late.id, "open", 326)]
    assert chase(session=session, now=NOW, durations=step_days()).told == []
    requests.advance(session=session, request=late, to="matched", on=date(2026, 11, 20),
                     actor="ana", now=NOW)
    session.commit()
    told = chase(session=session, now=LATER, durations=step_days()).told
    assert {(o.request_id, o.status) for o in told} == {(late.id, "matched"),
                                                      (in_time.id, "open")}


def test_nothing_is_written_to_a_state_or_organisation_until_staff_turn_chasing_on(
    session: Session,
) -> None:
    kenya = add_poc(session, "KEN", "Amina Test", "amina@example.org", role="assistance")
    add_poc(session, "KEN", "Otieno Test", "otieno@example.org")  # national: not written to
    iaea = add_poc(session, "IAEA", "Ida Test", "ida@example.org")
    made = open_request(session, "KEN", "training", "op3_cd", on=date(2026, 3, 1))
    provider = providers.register(session=session, party=party(session, "IAEA"),
                                  registered_on=date(2016, 1, 1), areas=["training"],
                                  actor="ana", now=NOW)
    providers.register(session=session, party=party(session, "OPCW"),  # no area in common
                       registered_on=date(2016, 1, 1), areas=["op2"], actor="ana", now=NOW)
    session.commit()
    assert chase(session=session, now=NOW, durations=step_days()).digests == []
    assert messages(session) == []
    plan = plan_chase(session=session, today=NOW.date(), durations=step_days())
    assert [(d.provider_id, d.request_ids) for d in plan.digests] == [(provider.id, (made.id,))]
    assert not plan.enabled

    chasing.set_chasing(session=session, enabled=True, actor="ana", now=NOW)
    session.commit()
    report = chase(session=session, now=NOW, durations=step_days())
    assert report.digests == [provider.id]
    [digest] = messages(session)
    assert digest.template == "assistance_digest"
    assert [r["state"] for r in digest.context["requests"]] == ["KEN"]
    assert [d.poc_id for d in session.exec(select(Delivery))] == [iaea]
    assert chase(session=session, now=NOW, durations=step_days()).digests == []

    providers.match(session=session, request=made, provider=provider, on=date(2026, 3, 10),
                    actor="ana", now=NOW, override=True)
    session.commit()
    assert chase(session=session, now=NOW, durations=step_days()).follow_ups == []  # < a year
    report = chase(session=session, now=LATER, durations=step_days())
    assert report.follow_ups == [made.id]
    follow_up = messages(session)[-1]
    assert follow_up.template == "assistance_follow_up"
    assert follow_up.context["request"]["matched_on"] == "2026-03-10"
    assert {d.poc_id for d in session.exec(
        select(Delivery).where(Delivery.message_id == follow_up.id))} == {kenya}
    assert chase(session=session, now=LATER, durations=step_days()).follow_ups == []


def test_a_states_answer_to_the_follow_up_is_kept_once_per_poc(session: Session) -> None:
    kenya = add_poc(session, "KEN", "Amina Test", "amina@example.org", role="assistance")
    made = open_request(session, "KEN", "training", on=date(2025, 3, 1))
    provider = providers.register(session=session, party=party(session, "IAEA"),
                                  registered_on=date(2016, 1, 1), areas=["training"],
                                  actor="ana", now=NOW)
    providers.match(session=session, request=made, provider=provider, on=date(2025, 4, 1),
                    actor="ana", now=NOW)
    chasing.set_chasing(session=session, enabled=True, actor="ana", now=NOW)
    session.commit()
    chase(session=session, now=NOW, durations=step_days())
    delivery = session.exec(select(Delivery)).one()
    assert feedback.follow_up_of(session=session, delivery_id=delivery.id or 0) == (
        made.id, kenya)
    assert feedback.record(session=session, request_id=made.id or 0, poc_id=kenya,
                           answer="partly_met", channel="email", actor="poc", now=NOW)
    assert not feedback.record(session=session, request_id=made.id or 0, poc_id=kenya,
                               answer="partly_met", channel="telegram", actor="poc", now=NOW)
    assert feedback.record(session=session, request_id=made.id or 0, poc_id=kenya,
                           answer="met", channel="telegram", actor="poc", now=NOW)
    session.commit()
    assert [(a.answer, a.channel) for a in feedback.answers(
        session=session, request_id=made.id or 0)] == [("met", "telegram")]
