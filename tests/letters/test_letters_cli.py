"""Staff mark a message as a letter expecting a response, record responses that came by note
verbale, and read who answered: `outreach send --expect-response-by`, `outreach responses
...`, and the `letters` section of `outreach report`. Both backends."""

import json

from sqlmodel import Session, select

from storage.audit import AuditEntry
from storage.letters import Letter, LetterResponse
from storage.reminders import ReminderPolicy
from tests.support.cli import Invoke
from tests.support.letters import write_letter
from tests.support.outbox import add_poc


def test_send_marks_the_message_and_creates_its_paused_policy(
    outreach: Invoke, session: Session
) -> None:
    for code in ("IAEA", "OPCW"):
        add_poc(session, code, f"Person {code}-Test", f"{code.lower()}@example.org")
    result = outreach("send", "--to", "IAEA", "--to", "OPCW", "--template", "contact_check",
                      "--queue-only", "--expect-response-by", "2026-07-31")
    assert result.exit_code == 0, result.output
    [letter] = session.exec(select(Letter)).all()
    assert f"Letter {letter.id} expects a response from each party by 2026-07-31." in (
        result.output)
    policy = session.get(ReminderPolicy, letter.policy_id)
    assert policy is not None and policy.paused
    assert f"outreach reminders resume --policy {policy.id}" in result.output
    assert [e.action for e in session.exec(select(AuditEntry).where(
        AuditEntry.entity == "letter"))] == ["expect_response"]
    listed = json.loads(outreach("responses", "letters", "--format", "json").output)
    assert [(row["written_to"], row["responded"], row["awaiting"]) for row in listed] == [
        (2, 0, 2)]


def test_a_bad_due_date_is_refused_and_nothing_is_queued(
    outreach: Invoke, session: Session
) -> None:
    add_poc(session, "IAEA", "Person IAEA-Test", "iaea@example.org")
    result = outreach("send", "--to", "IAEA", "--template", "contact_check", "--queue-only",
                      "--expect-response-by", "31/07/2026")
    assert result.exit_code == 2
    assert "--expect-response-by" in result.output and "not a date" in result.output
    assert session.exec(select(Letter)).all() == []


def test_staff_record_a_note_verbale_and_a_second_record_updates_it(
    outreach: Invoke, session: Session
) -> None:
    written = write_letter(session)
    letter = str(written.letter_id)
    first = outreach("responses", "record", letter, "IAEA", "--not-substantive",
                     "--on", "2026-07-01")
    second = outreach("responses", "record", letter, "IAEA", "--substantive",
                      "--on", "2026-07-09")
    promise = outreach("responses", "record", letter, "Kenya", "--promise-by", "2026-08-20",
                       "--on", "2026-07-02")
    assert first.exit_code == second.exit_code == promise.exit_code == 0, second.output
    assert f"Letter {letter}: IAEA's response recorded (substantive)." in second.output
    rows = {row["party"]: row for row in json.loads(
        outreach("responses", "list", letter, "--format", "json").output)}
    assert rows["IAEA"] | {"party_name": ""} == {
        "party": "IAEA", "party_name": "", "answer": "response", "substantive": True,
        "responded_on": "2026-07-09", "promised_by": None, "channel": "note_verbale",
        "document": None}
    assert (rows["KEN"]["answer"], rows["KEN"]["promised_by"]) == ("promise", "2026-08-20")
    assert rows["OPCW"]["answer"] == rows["INTERPOL"]["answer"] == "none"
    audited = [e.action for e in session.exec(select(AuditEntry).where(
        AuditEntry.entity == "letter_response").order_by(AuditEntry.id))]  # type: ignore[arg-type]
    assert audited == ["letter_response", "letter_response_update", "letter_response"]


def test_a_record_for_a_party_not_written_to_or_without_substance_is_refused(
    outreach: Invoke, session: Session
) -> None:
    written = write_letter(session)
    letter = str(written.letter_id)
    stranger = outreach("responses", "record", letter, "FRA", "--substantive")
    undecided = outreach("responses", "record", letter, "IAEA")
    unknown = outreach("responses", "list", "999")
    assert stranger.exit_code == undecided.exit_code == unknown.exit_code == 1
    assert f"Letter {letter} was not written to FRA: nothing recorded." in stranger.output
    assert "--substantive or --not-substantive" in undecided.output
    assert "No letter with id 999" in unknown.output
    assert session.exec(select(LetterResponse)).all() == []


def test_the_report_counts_written_to_responded_and_substantive(
    outreach: Invoke, session: Session
) -> None:
    written = write_letter(session)
    letter = str(written.letter_id)
    for code, flag in (("IAEA", "--substantive"), ("OPCW", "--substantive"),
                       ("INTERPOL", "--not-substantive")):
        assert outreach("responses", "record", letter, code, flag,
                        "--on", "2026-07-01").exit_code == 0
    period = ("--from", "2026-01-01", "--to", "2026-12-31")
    data = json.loads(outreach("report", *period, "--format", "json").output)
    assert data["letters"] == {
        "letters": 1, "written_to": 4, "written_to_organisations": 3, "responded": 3,
        "substantive": 2, "promised": 0, "by_letter": {str(written.letter_id): {
            "id": written.letter_id, "sent_on": "2026-06-02", "due_on": "2026-07-31",
            "written_to": 4, "written_to_organisations": 3, "responded": 3,
            "substantive": 2, "promised": 0, "not_answered": 1}}}
    text = " ".join(outreach("report", *period).output.split())
    assert ("On 2026-06-02 the Committee wrote to 4 States and organisations requesting"
            " written responses by 2026-07-31. 3 have responded, 2 substantively.") in text
    before = json.loads(outreach("report", "--from", "2025-01-01", "--to", "2026-06-01",
                                 "--format", "json").output)
    assert before["letters"]["letters"] == 0  # a letter counts by the day it was sent
