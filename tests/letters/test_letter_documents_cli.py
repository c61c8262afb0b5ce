"""Staff confirm a document a party sent as its response to a letter with `outreach inbox
confirm ID --substantive/--not-substantive [--letter N] [--on DAY]`: the response is
recorded with the document attached, `outreach responses list` shows its id and the
letter's figures count it; what is not well said is refused with a reason and writes
nothing. Both backends."""

import json
from datetime import UTC, datetime
from pathlib import Path

from sqlmodel import Session, select

from storage.inbox import store
from storage.inbox.model import ReceivedDocument
from storage.letters import LetterResponse
from tests.support import documents
from tests.support.cli import Invoke
from tests.support.letters import Written, write_letter

AT = datetime(2026, 7, 20, 9, 0, tzinfo=UTC)


def received(session: Session, tmp_path: Path, poc: int, letter_id: int | None,
             content: bytes = documents.PDF) -> int:
    document = store.receive(
        session=session, incoming=store.Incoming(
            poc_id=poc, purpose="letter_response", original_name="reponse.pdf",
            content=content, channel="telegram", letter_id=letter_id),
        data_dir=tmp_path / "data", max_bytes=store.DEFAULT_MAX_BYTES, now=AT)
    session.commit()
    assert document.id is not None
    return document.id


def letter_row(outreach: Invoke, written: Written) -> dict[str, int]:
    rows = json.loads(outreach("responses", "letters", "--format", "json").output)
    [row] = [row for row in rows if row["letter"] == written.letter_id]
    return {key: row[key] for key in ("responded", "substantive", "awaiting")}


def test_a_confirmed_response_is_recorded_with_its_document_and_counted(
    outreach: Invoke, session: Session, tmp_path: Path
) -> None:
    outreach("init")
    written = write_letter(session)
    named = received(session, tmp_path, written.pocs["IAEA"], written.letter_id)
    unnamed = received(session, tmp_path, written.pocs["OPCW"], None, documents.docx())
    listed = json.loads(outreach("inbox", "list", "--format", "json").output)
    assert [(row["id"], row["letter"]) for row in listed] == [(named, written.letter_id),
                                                             (unnamed, None)]
    assert letter_row(outreach, written) == {"responded": 0, "substantive": 0, "awaiting": 4}

    done = outreach("inbox", "confirm", str(named), "--substantive")
    assert done.exit_code == 0, done.output
    assert (f"Document {named} confirmed: IAEA's substantive response to letter "
            f"{written.letter_id} of 2026-07-20") in done.output
    other = outreach("inbox", "confirm", str(unnamed), "--letter", str(written.letter_id),
                     "--not-substantive", "--on", "2026-07-22")
    assert other.exit_code == 0, other.output
    assert letter_row(outreach, written) == {"responded": 2, "substantive": 1, "awaiting": 2}
    rows = {row["party"]: row for row in json.loads(outreach(
        "responses", "list", str(written.letter_id), "--format", "json").output)}
    assert (rows["IAEA"]["document"], rows["IAEA"]["substantive"]) == (named, True)
    assert (rows["OPCW"]["document"], rows["OPCW"]["responded_on"]) == (unnamed, "2026-07-22")
    assert rows["KEN"]["document"] is None
    assert "letter: " + str(written.letter_id) in outreach("inbox", "show", str(unnamed)).output


def test_what_is_not_well_said_is_refused_and_writes_nothing(
    outreach: Invoke, session: Session, tmp_path: Path
) -> None:
    outreach("init")
    written = write_letter(session)
    unnamed = received(session, tmp_path, written.pocs["KEN"], None)
    for args, words in (
            (("--substantive",), "names no letter"),
            (("--letter", str(written.letter_id)), "--substantive or --not-substantive"),
            (("--letter", str(written.letter_id), "--substantive", "--kind", "first_report"),
             "not both"),
            (("--letter", "4242", "--substantive"), "No letter with id 4242"),
            ((), "--kind and --on")):
        refused = outreach("inbox", "confirm", str(unnamed), *args)
        assert refused.exit_code == 1, (args, refused.output)
        assert words in refused.output, (args, refused.output)
    session.expire_all()
    document = session.get(ReceivedDocument, unnamed)
    assert document is not None and document.status == "received"
    assert session.exec(select(LetterResponse)).all() == []
