"""A PoC's document is checked by its content and size, kept under a name the tool chooses
with its checksum, recorded once per party (a second copy is a duplicate that changes
nothing), and decided by staff: confirmed into the reporting history or declined with a
reason the PoC is sent once. Every write audited; on both backends."""

import hashlib
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select

from storage import submissions
from storage.audit import AuditEntry
from storage.inbox import store
from storage.inbox.detect import detect
from storage.inbox.model import ORIGINAL_NAME_MAX, REASON_MAX, InboxStatus, ReceivedDocument
from storage.outbox import Delivery, OutboxMessage
from storage.parties import Party
from tests.support import documents
from tests.support.outbox import NOW, add_poc


def incoming(poc_id: int, content: bytes, name: str = "report.pdf",
             purpose: str = "national_report") -> store.Incoming:
    return store.Incoming(poc_id=poc_id, purpose=purpose, original_name=name,
                          content=content, channel="web")


def receive(session: Session, data_dir: Path, item: store.Incoming,
            max_bytes: int = store.DEFAULT_MAX_BYTES) -> ReceivedDocument:
    document = store.receive(session=session, incoming=item, data_dir=data_dir,
                             max_bytes=max_bytes, now=NOW)
    session.commit()
    return document


@pytest.mark.parametrize(("content", "expected"), [
    (documents.PDF, "pdf"), (documents.docx(), "docx"), (documents.odt(), "odt"),
    (documents.xlsx(), "xlsx"), (documents.HTML_AS_PDF, None), (documents.plain_zip(), None),
    (b"PK\x03\x04 broken", None), (b"GIF89a", None),
])
def test_the_type_is_read_from_the_content(content: bytes, expected: str | None) -> None:
    found = detect(content)
    assert (found.value if found else None) == expected


def test_a_pdf_renamed_docx_is_recorded_as_the_pdf_it_is(
    session: Session, tmp_path: Path
) -> None:
    poc = add_poc(session, "KEN", "Wanjiru Example-Test", "wanjiru@example.org")
    document = receive(session, tmp_path, incoming(poc, documents.PDF, "report.docx"))
    assert document.detected_type == "pdf"
    assert document.original_name == "report.docx"
    assert document.stored_name is not None and document.stored_name.endswith(".pdf")
    assert "report" not in document.stored_name
    stored = tmp_path / "inbox" / document.stored_name
    assert stored.read_bytes() == documents.PDF
    assert stored.stat().st_mode & 0o777 == 0o600
    assert document.checksum == hashlib.sha256(documents.PDF).hexdigest()
    assert document.size == len(documents.PDF)


@pytest.mark.parametrize(("content", "code"), [
    (documents.HTML_AS_PDF, "inbox_wrong_type"), (b"", "inbox_empty"),
    (b"%PDF-" + b"x" * 100, "inbox_too_large"),
])
def test_a_refused_file_keeps_nothing(session: Session, tmp_path: Path, content: bytes,
                                      code: str) -> None:
    poc = add_poc(session, "KEN", "Wanjiru Example-Test", "wanjiru@example.org")
    with pytest.raises(store.InboxError) as refused:
        store.receive(session=session, incoming=incoming(poc, content, "report.pdf"),
                      data_dir=tmp_path, max_bytes=100, now=NOW)
    assert refused.value.code == code
    session.rollback()
    assert list(session.exec(select(ReceivedDocument))) == []
    assert not (tmp_path / "inbox").exists() or list((tmp_path / "inbox").iterdir()) == []


def test_the_size_cap_takes_a_file_of_exactly_the_cap(session: Session, tmp_path: Path) -> None:
    poc = add_poc(session, "KEN", "Wanjiru Example-Test", "wanjiru@example.org")
    document = receive(session, tmp_path, incoming(poc, documents.PDF),
                       max_bytes=len(documents.PDF))
    assert document.status == InboxStatus.RECEIVED


def test_the_same_bytes_again_are_a_duplicate_that_keeps_no_second_copy(
    session: Session, tmp_path: Path
) -> None:
    first_poc = add_poc(session, "KEN", "Wanjiru Example-Test", "wanjiru@example.org")
    second_poc = add_poc(session, "KEN", "Otieno Example-Test", "otieno@example.org")
    first = receive(session, tmp_path, incoming(first_poc, documents.docx()))
    again = receive(session, tmp_path, incoming(second_poc, documents.docx(), "copy.docx"))
    assert again.status == InboxStatus.DUPLICATE and again.duplicate_of == first.id
    assert again.stored_name is None
    assert len(list((tmp_path / "inbox").iterdir())) == 1
    other = add_poc(session, "PER", "Rosa Quispe-Test", "rosa@example.org")
    elsewhere = receive(session, tmp_path, incoming(other, documents.docx()))
    assert elsewhere.status == InboxStatus.RECEIVED  # another party's copy is its own
    assert store.under_review(session=session, party_id=first.party_id) == [first]


def test_a_long_file_name_is_cut_visibly_and_fits_its_column(
    session: Session, tmp_path: Path
) -> None:
    poc = add_poc(session, "KEN", "Wanjiru Example-Test", "wanjiru@example.org")
    document = receive(session, tmp_path, incoming(poc, documents.PDF, "r" * 500 + ".pdf"))
    session.expire_all()
    kept = session.get(ReceivedDocument, document.id)
    assert kept is not None and len(kept.original_name) <= ORIGINAL_NAME_MAX
    assert kept.original_name != "r" * ORIGINAL_NAME_MAX


def test_only_an_active_poc_can_send_and_only_for_their_own_party(
    session: Session, tmp_path: Path
) -> None:
    poc = add_poc(session, "KEN", "Wanjiru Example-Test", "wanjiru@example.org")
    document = receive(session, tmp_path, incoming(poc, documents.PDF))
    kenya = session.exec(select(Party).where(Party.code == "KEN")).one()
    assert document.party_id == kenya.id
    with pytest.raises(store.InboxError) as refused:
        store.receive(session=session, incoming=incoming(999_999, documents.odt()),
                      data_dir=tmp_path, max_bytes=1000, now=NOW)
    assert refused.value.code == "inbox_not_a_poc"


def test_confirm_records_the_submission_once_and_audits_both(
    session: Session, tmp_path: Path
) -> None:
    poc = add_poc(session, "KEN", "Wanjiru Example-Test", "wanjiru@example.org")
    document = receive(session, tmp_path, incoming(poc, documents.PDF))
    submission = store.confirm(session=session, document=document, kind="first_report",
                               submitted_on=date(2026, 11, 20), actor="cli:staff", now=NOW)
    session.commit()
    assert document.status == InboxStatus.CONFIRMED
    assert document.submission_id == submission.id
    history = submissions.history(session=session, party_id=document.party_id)
    assert [(s.kind, s.submitted_on) for s, _ in history] == [
        ("first_report", date(2026, 11, 20))]
    actions = {(e.entity, e.action) for e in session.exec(select(AuditEntry))}
    assert {("inbox_document", "receive"), ("inbox_document", "confirm"),
            ("submission", "create")} <= actions
    with pytest.raises(store.InboxError) as twice:
        store.decline(session=session, document=document, reason="late", actor="x", now=NOW)
    assert twice.value.code == "inbox_already_decided"


@pytest.mark.parametrize(("kind", "day", "code"), [
    ("national_report", date(2026, 11, 20), "inbox_unknown_kind"),
    ("first_report", date(2003, 1, 1), "inbox_bad_date"),
    ("first_report", NOW.date() + timedelta(days=1), "inbox_bad_date"),
])
def test_confirm_refuses_a_wrong_kind_or_date(session: Session, tmp_path: Path, kind: str,
                                              day: date, code: str) -> None:
    poc = add_poc(session, "KEN", "Wanjiru Example-Test", "wanjiru@example.org")
    document = receive(session, tmp_path, incoming(poc, documents.PDF))
    with pytest.raises(store.InboxError) as refused:
        store.confirm(session=session, document=document, kind=kind, submitted_on=day,
                      actor="cli:staff", now=NOW)
    assert refused.value.code == code
    assert document.status == InboxStatus.RECEIVED


def test_an_organisations_document_is_not_a_submission(session: Session, tmp_path: Path) -> None:
    poc = add_poc(session, "OSCE", "Jan Novak-Test", "jan@example.org")
    document = receive(session, tmp_path, incoming(poc, documents.PDF,
                                                   purpose="letter_response"))
    with pytest.raises(store.InboxError) as refused:
        store.confirm(session=session, document=document, kind="first_report",
                      submitted_on=date(2026, 11, 20), actor="cli:staff", now=NOW)
    assert refused.value.code == "inbox_not_a_state"


def test_decline_queues_the_reason_to_the_poc_once(session: Session, tmp_path: Path) -> None:
    poc = add_poc(session, "FRA", "Claire Exemple-Test", "claire@example.org", language="fr")
    document = receive(session, tmp_path, incoming(poc, documents.odt(), "rapport.odt"))
    message = store.decline(session=session, document=document,
                            reason="Le fichier est illisible.", actor="cli:staff", now=NOW)
    session.commit()
    assert message.template == "inbox_declined"
    assert message.context["reason"] == "Le fichier est illisible."
    deliveries = list(session.exec(select(Delivery).where(Delivery.message_id == message.id)))
    assert [(d.poc_id, d.channel) for d in deliveries] == [(poc, "email")]
    assert document.status == InboxStatus.DECLINED
    assert len(list(session.exec(select(OutboxMessage)))) == 1
    with pytest.raises(store.InboxError):
        store.decline(session=session, document=document, reason="again", actor="x", now=NOW)


def test_a_reason_of_the_columns_size_is_kept_whole_and_a_longer_one_refused(
    session: Session, tmp_path: Path
) -> None:
    poc = add_poc(session, "KEN", "Wanjiru Example-Test", "wanjiru@example.org")
    first = receive(session, tmp_path, incoming(poc, documents.PDF))
    second = receive(session, tmp_path, incoming(poc, documents.odt()))
    with pytest.raises(store.InboxError) as refused:
        store.decline(session=session, document=first, reason="é" * (REASON_MAX + 1),
                      actor="cli:staff", now=NOW)
    assert refused.value.code == "inbox_reason_too_long"
    store.decline(session=session, document=second, reason="é" * REASON_MAX,
                  actor="cli:staff", now=NOW)
    session.commit()
    session.expire_all()
    kept = session.get(ReceivedDocument, second.id)
    assert kept is not None and kept.decline_reason == "é" * REASON_MAX
