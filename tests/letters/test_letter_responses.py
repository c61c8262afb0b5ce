"""Responses to a letter, per party: one per party and letter, a second an audited update, a
promise never replacing a response; the per-letter figures count them (written to,
responded, substantive). On both backends."""

from datetime import UTC, date, datetime

import pytest
from sqlmodel import Session, select

from storage import letters
from storage.audit import AuditEntry
from storage.figures.letters import letter_rows, letter_summaries
from storage.letters import LetterError, LetterResponse, ResponseKind
from storage.reminders import ReminderPolicy
from tests.support.chair import draft
from tests.support.letters import DUE, write_letter

AT = datetime(2026, 7, 10, 9, 0, tzinfo=UTC)


def actions(session: Session) -> list[str]:
    return [e.action for e in session.exec(select(AuditEntry).where(
        AuditEntry.entity == "letter_response").order_by(AuditEntry.id))]  # type: ignore[arg-type]


def test_marking_a_message_creates_a_paused_reminder_policy_starting_after_the_due_date(
    session: Session
) -> None:
    written = write_letter(session)
    letter = letters.get(session=session, letter_id=written.letter_id)
    policy = session.get(ReminderPolicy, letter.policy_id)
    assert policy is not None and policy.paused and policy.target == "unanswered_letter"
    assert policy.first_send_on == date(2026, 8, 1)
    parties = letters.written_to(session=session, letter=letter)
    assert {p.code for p in parties} == {"IAEA", "OPCW", "INTERPOL", "KEN"}
    assert [p.name for p in parties] == sorted(p.name for p in parties)


def test_a_second_response_updates_the_first_and_is_audited(session: Session) -> None:
    written = write_letter(session)
    iaea = written.parties["IAEA"]
    letters.record(session=session, letter_id=written.letter_id, party_id=iaea,
                   kind=ResponseKind.RESPONSE, on=date(2026, 7, 1), channel="note_verbale",
                   actor="ana", now=AT, substantive=False)
    again = letters.record(session=session, letter_id=written.letter_id, party_id=iaea,
                           kind=ResponseKind.RESPONSE, on=date(2026, 7, 9),
                           channel="note_verbale", actor="ben", now=AT, substantive=True)
    same = letters.record(session=session, letter_id=written.letter_id, party_id=iaea,
                          kind=ResponseKind.RESPONSE, on=date(2026, 7, 9),
                          channel="note_verbale", actor="ben", now=AT, substantive=True)
    session.commit()
    [stored] = session.exec(select(LetterResponse)).all()
    assert (stored.substantive, stored.responded_on) == (True, date(2026, 7, 9))
    assert again.changed and not same.changed
    assert actions(session) == ["letter_response", "letter_response_update"]


def test_a_promise_after_a_response_changes_nothing_and_a_button_keeps_staffs_judgement(
    session: Session
) -> None:
    written = write_letter(session)
    opcw = written.parties["OPCW"]
    letters.record(session=session, letter_id=written.letter_id, party_id=opcw,
                   kind=ResponseKind.RESPONSE, on=date(2026, 7, 1), channel="note_verbale",
                   actor="ana", now=AT, substantive=True)
    promise = letters.record(session=session, letter_id=written.letter_id, party_id=opcw,
                             kind=ResponseKind.PROMISE, on=date(2026, 7, 2), channel="email",
                             actor="poc:1", now=AT, promised_by=date(2026, 8, 30))
    button = letters.record(session=session, letter_id=written.letter_id, party_id=opcw,
                            kind=ResponseKind.RESPONSE, on=date(2026, 7, 3),
                            channel="telegram", actor="poc:1", now=AT)
    assert not promise.changed
    assert button.response.substantive is True  # a PoC's button does not judge substance


def test_a_promise_needs_a_date_not_before_it_was_made(session: Session) -> None:
    written = write_letter(session)
    with pytest.raises(LetterError) as refused:
        letters.record(session=session, letter_id=written.letter_id,
                       party_id=written.parties["KEN"], kind=ResponseKind.PROMISE,
                       on=date(2026, 7, 2), channel="email", actor="poc:1", now=AT,
                       promised_by=date(2026, 7, 1))
    assert refused.value.code == "letter_bad_promise"
    assert session.exec(select(LetterResponse)).all() == []


def test_the_figures_count_written_to_responded_and_substantive(session: Session) -> None:
    written = write_letter(session)
    for code, substantive in (("IAEA", True), ("OPCW", False)):
        letters.record(session=session, letter_id=written.letter_id,
                       party_id=written.parties[code], kind=ResponseKind.RESPONSE,
                       on=date(2026, 7, 1), channel="note_verbale", actor="ana", now=AT,
                       substantive=substantive)
    letters.record(session=session, letter_id=written.letter_id,
                   party_id=written.parties["KEN"], kind=ResponseKind.PROMISE,
                   on=date(2026, 7, 1), channel="telegram", actor="poc:4", now=AT,
                   promised_by=date(2026, 8, 15))
    session.commit()
    [summary] = letter_summaries(session=session, today=date(2026, 8, 15))
    assert (summary.written_to, summary.written_to_organisations, summary.responded,
            summary.substantive, summary.promised, summary.awaiting) == (4, 3, 2, 1, 1, 1)
    [after] = letter_summaries(session=session, today=date(2026, 8, 16))
    assert (after.promised, after.awaiting) == (0, 2)  # a promise past its date is owed again
    rows = {row["party"]: row for row in letter_rows(session=session,
                                                     letter_id=written.letter_id)}
    assert rows["INTERPOL"]["answer"] == "none" and rows["KEN"]["answer"] == "promise"
    assert rows["OPCW"]["substantive"] is False and rows["IAEA"]["substantive"] is True
    assert all(row["document"] is None for row in rows.values())
    assert summary.due_on == DUE


def test_marking_a_chairs_message_again_moves_its_due_date_and_its_policy(
    session: Session
) -> None:
    message_id = draft(session)
    first = letters.expect_for_chair(session=session, chair_message_id=message_id,
                                     due_on=date(2026, 7, 31), actor="ana", now=AT)
    moved = letters.expect_for_chair(session=session, chair_message_id=message_id,
                                     due_on=date(2026, 9, 30), actor="ben", now=AT)
    session.commit()
    assert moved.id == first.id and moved.due_on == date(2026, 9, 30)
    policy = session.get(ReminderPolicy, moved.policy_id)
    assert policy is not None and policy.first_send_on == date(2026, 10, 1)
    assert [e.action for e in session.exec(select(AuditEntry).where(
        AuditEntry.entity == "letter").order_by(AuditEntry.id))  # type: ignore[arg-type]
    ] == ["expect_response", "move_due"]
    with pytest.raises(LetterError):
        letters.expect_for_chair(session=session, chair_message_id=999,
                                 due_on=date(2026, 9, 30), actor="ben", now=AT)
