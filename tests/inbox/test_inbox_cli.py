"""`outreach inbox`: staff list, show, save and decide on the documents PoCs sent; a
confirmed national report takes the State out of the reminder plan and into
`outreach status`; a declined one queues the reason to the PoC. Both backends."""

import hashlib
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlmodel import Session, select

from storage.inbox import store
from storage.inbox.model import ReceivedDocument
from storage.outbox import Delivery, OutboxMessage
from tests.cli.test_reminders_cli import init_and_resume, only_silent
from tests.support import documents
from tests.support.cli import Invoke
from tests.support.outbox import NOW, add_poc


def received(session: Session, tmp_path: Path, poc: int, content: bytes = documents.PDF,
             name: str = "first-report.pdf") -> int:
    document = store.receive(
        session=session, incoming=store.Incoming(poc_id=poc, purpose="national_report",
                                                 original_name=name, content=content,
                                                 channel="telegram"),
        data_dir=tmp_path / "data", max_bytes=store.DEFAULT_MAX_BYTES, now=NOW)
    session.commit()
    assert document.id is not None
    return document.id


def planned(outreach: Invoke) -> list[str]:
    rows = json.loads(outreach("reminders", "plan", "--days", "1", "--format", "json").output)
    return [row["state"] for row in rows]


def test_a_confirmed_first_report_ends_the_reminders_and_changes_the_status(
    outreach: Invoke, session: Session, tmp_path: Path
) -> None:
    init_and_resume(outreach)
    only_silent(session, {"JPN"})
    poc = add_poc(session, "JPN", "Aiko Sato-Test", "aiko@example.org")
    document_id = received(session, tmp_path, poc)
    assert planned(outreach) == ["JPN"]  # received is not yet a submission
    before = json.loads(outreach("status", "--format", "json").output)
    listed = json.loads(outreach("inbox", "list", "--status", "received", "--format",
                                 "json").output)
    assert [(row["id"], row["state"], row["file"], row["type"]) for row in listed] == [
        (document_id, "JPN", "first-report.pdf", "pdf")]

    day = (datetime.now(UTC) - timedelta(days=3)).date().isoformat()
    result = outreach("inbox", "confirm", str(document_id), "--kind", "first_report",
                      "--on", day)
    assert result.exit_code == 0, result.output
    assert f"Document {document_id} confirmed" in result.output
    assert planned(outreach) == []
    after = json.loads(outreach("status", "--format", "json").output)
    assert after["reporting_states"] == before["reporting_states"] + 1
    assert "JPN" not in after["non_reporting"]
    assert "status: confirmed" in outreach("inbox", "show", str(document_id)).output
    again = outreach("inbox", "confirm", str(document_id), "--kind", "first_report",
                     "--on", day)
    assert again.exit_code == 1 and "already" in again.output


def test_decline_queues_the_reason_once_and_changes_no_figure(
    outreach: Invoke, session: Session, tmp_path: Path
) -> None:
    outreach("init")
    poc = add_poc(session, "MAR", "Karim Exemple-Test", "karim@example.org", language="fr")
    document_id = received(session, tmp_path, poc, documents.docx())
    before = json.loads(outreach("status", "--format", "json").output)
    result = outreach("inbox", "decline", str(document_id), "--reason",
                      "Ce document est un brouillon.")
    assert result.exit_code == 0, result.output
    session.expire_all()
    messages = list(session.exec(select(OutboxMessage)))
    assert [m.template for m in messages] == ["inbox_declined"]
    deliveries = list(session.exec(select(Delivery)))
    assert [(d.poc_id, d.channel, d.state) for d in deliveries] == [(poc, "email", "pending")]
    assert json.loads(outreach("status", "--format", "json").output) == before
    assert outreach("inbox", "decline", str(document_id), "--reason", "x").exit_code == 1
    assert len(list(session.exec(select(OutboxMessage)))) == 1


def test_save_copies_the_file_and_never_overwrites(
    outreach: Invoke, session: Session, tmp_path: Path
) -> None:
    outreach("init")
    poc = add_poc(session, "KEN", "Wanjiru Example-Test", "wanjiru@example.org")
    content = documents.xlsx()
    document_id = received(session, tmp_path, poc, content, "matrix.xlsx")
    target = tmp_path / "copy.xlsx"
    assert outreach("inbox", "save", str(document_id), "--out", str(target)).exit_code == 0
    assert target.read_bytes() == content
    refused = outreach("inbox", "save", str(document_id), "--out", str(target))
    assert refused.exit_code == 1 and "already exists" in refused.output
    shown = outreach("inbox", "show", str(document_id)).output
    assert f"checksum: {hashlib.sha256(content).hexdigest()}" in shown
    assert "file: matrix.xlsx" in shown and "status: received" in shown


def test_unknown_ids_and_missing_reasons_are_refused_clearly(
    outreach: Invoke, session: Session, tmp_path: Path
) -> None:
    outreach("init")
    missing = outreach("inbox", "show", "4242")
    assert missing.exit_code == 1 and "No received document with id 4242" in missing.output
    poc = add_poc(session, "KEN", "Wanjiru Example-Test", "wanjiru@example.org")
    document_id = received(session, tmp_path, poc)
    blank = outreach("inbox", "decline", str(document_id), "--reason", "  ")
    assert blank.exit_code == 1 and "reason" in blank.output
    session.expire_all()
    document = session.get(ReceivedDocument, document_id)
    assert document is not None and document.status == "received"
