"""Parties that have not answered a letter by its due date are reminded by the letter's own
policy, through the reminder sweep: only the unanswered, from the day after the due date,
not while a promise stands, each cycle once under a unique key (a second sweep, or a sweep
after a restart, adds nothing), and nothing until staff resume the policy."""

from datetime import UTC, date, datetime

from sqlmodel import Session, select

from scheduler.sweep import load_facts, sweep
from storage import letters
from storage.letters import ResponseKind
from storage.outbox import Delivery, OutboxMessage
from storage.reminders import ReminderPolicy
from tests.support.letters import Written, write_letter

ON_DUE_DAY = datetime(2026, 7, 31, 12, 0, tzinfo=UTC)
DAY_AFTER = datetime(2026, 8, 1, 12, 0, tzinfo=UTC)
AT = datetime(2026, 7, 20, 9, 0, tzinfo=UTC)


def resume(session: Session, written: Written) -> None:
    policy = session.get(ReminderPolicy, written.policy_id)
    assert policy is not None
    policy.paused = False
    session.add(policy)
    session.commit()


def reminded(session: Session, written: Written) -> set[str]:
    """Codes of the parties whose PoCs got a reminder of the letter."""
    codes = {poc: code for code, poc in written.pocs.items()}
    rows = session.exec(select(Delivery, OutboxMessage).join(
        OutboxMessage, OutboxMessage.id == Delivery.message_id)  # type: ignore[arg-type]
        .where(OutboxMessage.kind == "reminder"))
    return {codes[delivery.poc_id] for delivery, message in rows
            if message.context.get("letter") == written.letter_id}


def answer(session: Session, written: Written, code: str, kind: ResponseKind,
           promised_by: date | None = None) -> None:
    letters.record(session=session, letter_id=written.letter_id,
                   party_id=written.parties[code], kind=kind, on=AT.date(),
                   channel="note_verbale", actor="ana", now=AT,
                   substantive=True if kind is ResponseKind.RESPONSE else None,
                   promised_by=promised_by)
    session.commit()


def test_nothing_goes_while_the_policy_is_paused_as_it_is_created(session: Session) -> None:
    written = write_letter(session)
    assert sweep(session=session, now=DAY_AFTER).queued == []
    planned = load_facts(session, include_paused=True).plan(DAY_AFTER)
    assert {d.party_id for d in planned.due} == set(written.parties.values())


def test_only_those_who_did_not_answer_are_reminded_and_from_the_day_after_the_due_date(
    session: Session
) -> None:
    written = write_letter(session)
    answer(session, written, "IAEA", ResponseKind.RESPONSE)
    answer(session, written, "OPCW", ResponseKind.PROMISE, promised_by=date(2026, 8, 20))
    resume(session, written)
    assert sweep(session=session, now=ON_DUE_DAY).queued == []
    report = sweep(session=session, now=DAY_AFTER)
    assert reminded(session, written) == {"INTERPOL", "KEN"}
    assert {party for _, party, _ in report.queued} == {written.parties["INTERPOL"],
                                                        written.parties["KEN"]}
    contexts = [(m.template, m.context) for m in session.exec(
        select(OutboxMessage).where(OutboxMessage.kind == "reminder"))]
    assert contexts and all(
        template == "reminder_letter" and context["letter"] == written.letter_id
        and context["letter_sent_on"] == "2026-06-02"
        and context["letter_due_on"] == "2026-07-31" for template, context in contexts)


def test_a_second_sweep_and_a_restart_send_nothing_twice(session: Session) -> None:
    written = write_letter(session)
    resume(session, written)
    first = sweep(session=session, now=DAY_AFTER)
    again = sweep(session=session, now=DAY_AFTER)
    assert len(first.queued) == 4 and again.queued == []
    keys = [str(m.dedupe_key) for m in session.exec(select(OutboxMessage).where(
        OutboxMessage.kind == "reminder"))]
    assert sorted(keys) == sorted(f"reminder:{written.policy_id}:{party}:1"
                                  for party in written.parties.values())


def test_a_promise_stops_the_reminders_until_its_date_then_they_resume(
    session: Session
) -> None:
    written = write_letter(session)
    for code in ("IAEA", "OPCW", "INTERPOL"):
        answer(session, written, code, ResponseKind.RESPONSE)
    answer(session, written, "KEN", ResponseKind.PROMISE, promised_by=date(2026, 9, 15))
    resume(session, written)
    assert sweep(session=session, now=DAY_AFTER).queued == []
    assert sweep(session=session,
                 now=datetime(2026, 9, 15, 12, 0, tzinfo=UTC)).queued == []
    after = sweep(session=session, now=datetime(2026, 9, 16, 12, 0, tzinfo=UTC))
    assert [party for _, party, _ in after.queued] == [written.parties["KEN"]]


def test_a_response_after_the_first_reminder_stops_the_next(session: Session) -> None:
    written = write_letter(session)
    resume(session, written)
    assert len(sweep(session=session, now=DAY_AFTER).queued) == 4
    for code in ("IAEA", "OPCW", "INTERPOL"):
        answer(session, written, code, ResponseKind.RESPONSE)
    month_later = datetime(2026, 9, 1, 12, 0, tzinfo=UTC)
    assert [(party, cycle) for _, party, cycle in
            sweep(session=session, now=month_later).queued] == [(written.parties["KEN"], 2)]
