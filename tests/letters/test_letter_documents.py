"""A document a party sends as its response to a letter: it names the letter, the party's
reminders of that letter wait while staff review it, staff confirm it as the party's
response (recorded through storage.letters with the document attached, audited: the
letter's figures count it) or decline it (nothing recorded, the reminders come back); the
same bytes again change nothing; a letter that was not written to the party, or a letter
named by another kind of document, is refused and nothing kept. On both backends."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from scheduler.sweep import load_facts
from storage import letters
from storage.audit import AuditEntry
from storage.figures.letters import letter_rows, summary
from storage.inbox import store
from storage.inbox.model import InboxStatus, ReceivedDocument
from storage.letters import Letter, LetterResponse, ResponseKind
from tests.support import documents
from tests.support.letters import Written, write_letter
from tests.support.outbox import add_poc

AT = datetime(2026, 7, 20, 9, 0, tzinfo=UTC)
DAY_AFTER = datetime(2026, 8, 1, 12, 0, tzinfo=UTC)
LATER = datetime(2026, 8, 3, 10, 0, tzinfo=UTC)


def receive(session: Session, data_dir: Path, poc: int, letter_id: int | None,
            content: bytes = documents.PDF, purpose: str = "letter_response"
            ) -> ReceivedDocument:
    document = store.receive(
        session=session, incoming=store.Incoming(
            poc_id=poc, purpose=purpose, original_name="response.pdf", content=content,
            channel="web", letter_id=letter_id),
        data_dir=data_dir, max_bytes=store.DEFAULT_MAX_BYTES, now=AT)
    session.commit()
    return document


def planned(session: Session, written: Written, now: datetime = DAY_AFTER) -> set[str]:
    """Codes of the parties the letter's policy would remind on `now` if resumed."""
    codes = {party: code for code, party in written.parties.items()}
    plan = load_facts(session, include_paused=True).plan(now)
    return {codes[d.party_id] for d in plan.due if d.policy_id == written.policy_id}


def figures(session: Session, written: Written) -> tuple[int, int, int]:
    letter = session.get(Letter, written.letter_id)
    assert letter is not None
    found = summary(session=session, letter=letter, today=DAY_AFTER.date())
    return found.responded, found.substantive, found.awaiting


def test_a_document_under_review_holds_that_partys_reminders_and_a_decline_resumes_them(
    session: Session, tmp_path: Path
) -> None:
    written = write_letter(session)
    document = receive(session, tmp_path, written.pocs["IAEA"], written.letter_id)
    assert (document.status, document.letter_id) == ("received", written.letter_id)
    assert planned(session, written) == {"OPCW", "INTERPOL", "KEN"}
    assert figures(session, written) == (0, 0, 4)  # under review is no response yet
    store.decline(session=session, document=document, reason="This is another letter.",
                  actor="ana", now=DAY_AFTER)
    session.commit()
    assert planned(session, written) == {"IAEA", "OPCW", "INTERPOL", "KEN"}
    assert session.exec(select(LetterResponse)).all() == []
    assert figures(session, written) == (0, 0, 4)


def test_confirming_records_the_response_with_its_document_and_the_figures_count_it(
    session: Session, tmp_path: Path
) -> None:
    written = write_letter(session)
    document = receive(session, tmp_path, written.pocs["OPCW"], written.letter_id)
    done = store.confirm_response(session=session, document=document,
                                  letter_id=written.letter_id, substantive=True,
                                  responded_on=AT.date(), actor="ana", now=DAY_AFTER)
    session.commit()
    response = done.response
    assert (response.party_id, response.kind, response.substantive, response.document_id,
            response.channel, response.recorded_by) == (
        written.parties["OPCW"], "response", True, document.id, "email", "ana")
    assert response.responded_on == AT.date()
    assert document.status == InboxStatus.CONFIRMED and document.decided_by == "ana"
    assert figures(session, written) == (1, 1, 3)
    assert planned(session, written, LATER) == {"IAEA", "INTERPOL", "KEN"}
    rows = {row["party"]: row for row in letter_rows(session=session,
                                                     letter_id=written.letter_id)}
    assert rows["OPCW"]["document"] == document.id and rows["KEN"]["document"] is None
    actions = [(e.entity, e.action, e.actor) for e in session.exec(
        select(AuditEntry).where(col(AuditEntry.actor) == "ana"))]
    assert ("letter_response", "letter_response", "ana") in actions
    assert ("inbox_document", "confirm", "ana") in actions


def test_a_confirmation_completes_a_button_answer_and_a_duplicate_changes_nothing(
    session: Session, tmp_path: Path
) -> None:
    written = write_letter(session)
    letters.record(session=session, letter_id=written.letter_id,
                   party_id=written.parties["KEN"], kind=ResponseKind.RESPONSE, on=AT.date(),
                   channel="telegram", actor=f"poc:{written.pocs['KEN']}", now=AT,
                   poc_id=written.pocs["KEN"])
    document = receive(session, tmp_path, written.pocs["KEN"], written.letter_id)
    store.confirm_response(session=session, document=document, letter_id=written.letter_id,
                           substantive=False, responded_on=AT.date(), actor="ana",
                           now=DAY_AFTER)
    session.commit()
    [response] = session.exec(select(LetterResponse)).all()
    assert (response.substantive, response.document_id) == (False, document.id)
    before = (figures(session, written), planned(session, written, LATER))
    again = receive(session, tmp_path, written.pocs["KEN"], written.letter_id)
    assert (again.status, again.duplicate_of) == ("duplicate", document.id)
    assert (figures(session, written), planned(session, written, LATER)) == before
    with pytest.raises(store.InboxError) as refused:
        store.confirm_response(session=session, document=again, letter_id=written.letter_id,
                               substantive=True, responded_on=AT.date(), actor="ana",
                               now=DAY_AFTER)
    assert refused.value.code == "inbox_already_decided"
    assert [r.document_id for r in session.exec(select(LetterResponse))] == [document.id]


def test_a_letter_the_party_was_not_sent_or_another_purpose_is_refused_keeping_nothing(
    session: Session, tmp_path: Path
) -> None:
    written = write_letter(session)
    stranger = add_poc(session, "FRA", "Claire Invented", "claire@example.org")
    for poc, letter_id, purpose, code in (
            (stranger, written.letter_id, "letter_response", "inbox_letter_not_written_to"),
            (written.pocs["KEN"], 4242, "letter_response", "inbox_letter_not_found"),
            (written.pocs["KEN"], written.letter_id, "national_report",
             "inbox_letter_needs_response")):
        with pytest.raises(store.InboxError) as refused:
            receive(session, tmp_path, poc, letter_id, purpose=purpose)
        assert refused.value.code == code
        session.rollback()
    assert session.exec(select(ReceivedDocument)).all() == []
    assert not (tmp_path / "inbox").exists()
    document = receive(session, tmp_path, written.pocs["KEN"], written.letter_id)
    with pytest.raises(store.InboxError) as refused:
        store.confirm_response(session=session, document=document, letter_id=4242,
                               substantive=True, responded_on=AT.date(), actor="ana",
                               now=DAY_AFTER)
    assert refused.value.code == "inbox_letter_not_found"
    session.rollback()
    assert session.exec(select(LetterResponse)).all() == []
