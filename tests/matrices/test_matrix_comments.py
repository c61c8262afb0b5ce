"""A State's comments on its draft matrix, in storage (both backends): the document names the
review awaiting an answer, the review leaves the reminder plan, staff confirm the comments as
read (audited, no submission, the reporting history untouched) or decline them; comments with
no review awaiting are refused and write nothing."""

from pathlib import Path

import pytest
from sqlmodel import Session, select

from scheduler.sweep import load_facts
from storage.audit import AuditEntry
from storage.inbox import store
from storage.inbox.model import ReceivedDocument
from storage.matrices import versions
from storage.matrices.model import MatrixVersion
from storage.matrices.review_model import MatrixReview, ReviewState
from storage.submissions import Submission
from tests.matrices.review_support import CAP, DUE, SENT, later, send
from tests.matrices.support import party
from tests.support.documents import PDF, docx
from tests.support.outbox import add_poc

PAST_DUE = (DUE - SENT.date()).days + 1


def _comments(session: Session, data_dir: Path, poc_id: int, *, content: bytes | None = None,
              days: int = 5, channel: str = "web") -> ReceivedDocument:
    document = store.receive(session=session, incoming=store.Incoming(
        poc_id=poc_id, purpose="matrix_comments", original_name="comments.docx",
        content=content or docx("Our comments on version 2"), channel=channel),
        data_dir=data_dir, max_bytes=CAP, now=later(days))
    session.commit()
    return document


def _review(session: Session, review_id: int | None) -> MatrixReview:
    session.expire_all()
    found = session.get(MatrixReview, review_id)
    assert found is not None
    return found


def _reminded(session: Session, days: int) -> list[int]:
    return [due.party_id for due in
            load_facts(session, include_paused=True).plan(later(days)).due]


def test_comments_name_the_pending_review_and_its_reminders_stop(
        session: Session, tmp_path: Path) -> None:
    sent = send(session, tmp_path)
    assert _reminded(session, PAST_DUE) == [party(session, "KEN").id]
    document = _comments(session, tmp_path, sent.pocs["telegram"], channel="telegram")
    assert document.matrix_review_id == sent.review.id
    review = _review(session, sent.review.id)
    assert (review.state, review.answered_on, review.answer_channel) == (
        ReviewState.COMMENTS, later(5).date(), "telegram")
    assert _reminded(session, PAST_DUE) == []
    assert _reminded(session, PAST_DUE + 60) == []
    found = store.comments_of(session=session, review_ids=[sent.review.id or 0])
    assert [d.id for d in found[sent.review.id or 0]] == [document.id]


def test_comments_after_the_comments_button_keep_the_first_answer_day(
        session: Session, tmp_path: Path) -> None:
    sent = send(session, tmp_path)
    first = _comments(session, tmp_path, sent.pocs["email"], days=3)
    second = _comments(session, tmp_path, sent.pocs["email"], days=9,
                       content=docx("More comments"))
    assert _review(session, sent.review.id).answered_on == later(3).date()
    found = store.comments_of(session=session, review_ids=[sent.review.id or 0])
    assert [d.id for d in found[sent.review.id or 0]] == [first.id, second.id]


def test_a_duplicate_of_the_comments_is_not_listed_twice(
        session: Session, tmp_path: Path) -> None:
    sent = send(session, tmp_path)
    first = _comments(session, tmp_path, sent.pocs["email"], content=PDF)
    again = _comments(session, tmp_path, sent.pocs["email"], content=PDF, days=6)
    assert again.status == "duplicate"
    found = store.comments_of(session=session, review_ids=[sent.review.id or 0])
    assert [d.id for d in found[sent.review.id or 0]] == [first.id]


def _refused_without_review(session: Session, data_dir: Path, poc_id: int) -> None:
    before = len(session.exec(select(ReceivedDocument)).all())
    with pytest.raises(store.InboxError) as refused:
        _comments(session, data_dir, poc_id)
    session.rollback()
    assert refused.value.code == "inbox_no_pending_review"
    assert len(session.exec(select(ReceivedDocument)).all()) == before
    assert not (data_dir / "inbox").exists() or not any((data_dir / "inbox").iterdir())


def test_comments_from_an_organisation_or_a_state_with_no_review_are_refused(
        session: Session, tmp_path: Path) -> None:
    send(session, tmp_path)  # Kenya's review: another State's comments may not name it
    ghana = add_poc(session, "GHA", "Kofi Example-Test", "kofi@example.org")
    organisation = add_poc(session, "IAEA", "Ines Example-Test", "ines@example.org")
    session.commit()
    _refused_without_review(session, tmp_path, ghana)
    _refused_without_review(session, tmp_path, organisation)


def test_comments_after_the_approval_are_refused(session: Session, tmp_path: Path) -> None:
    sent = send(session, tmp_path)
    version = session.get(MatrixVersion, sent.review.version_id)
    assert version is not None
    versions.approve(session=session, version=version, approved_on=later(2).date(),
                     actor="cli:ana-test", now=later(2))
    session.commit()
    _refused_without_review(session, tmp_path, sent.pocs["email"])


def test_confirming_comments_records_that_staff_read_them_and_no_submission(
        session: Session, tmp_path: Path) -> None:
    sent = send(session, tmp_path)
    document = _comments(session, tmp_path, sent.pocs["email"])
    with pytest.raises(store.InboxError) as refused:
        store.confirm(session=session, document=document, kind="first_report",
                      submitted_on=later(6).date(), actor="cli:ana-test", now=later(6))
    assert refused.value.code == "inbox_comments_no_kind"
    session.rollback()
    store.mark_read(session=session, document=document, actor="cli:ana-test", now=later(7))
    session.commit()
    session.expire_all()
    read = session.get(ReceivedDocument, document.id)
    assert read is not None
    assert (read.status, read.decided_by, read.submission_kind, read.submission_id) == (
        "confirmed", "cli:ana-test", None, None)
    assert session.exec(select(Submission)).all() == []
    assert [e.action for e in session.exec(select(AuditEntry).where(
        AuditEntry.entity == "inbox_document", AuditEntry.entity_id == str(document.id)))] == [
        "receive", "read_comments"]
    assert _review(session, sent.review.id).state == ReviewState.COMMENTS
    with pytest.raises(store.InboxError) as twice:
        store.mark_read(session=session, document=read, actor="cli:ana-test", now=later(8))
    assert twice.value.code == "inbox_already_decided"


def test_only_comments_are_confirmed_as_read(session: Session, tmp_path: Path) -> None:
    sent = send(session, tmp_path)
    report = store.receive(session=session, incoming=store.Incoming(
        poc_id=sent.pocs["email"], purpose="national_report", original_name="report.pdf",
        content=PDF, channel="web"), data_dir=tmp_path, max_bytes=CAP, now=later(1))
    session.commit()
    with pytest.raises(store.InboxError) as refused:
        store.mark_read(session=session, document=report, actor="cli:ana-test", now=later(2))
    assert refused.value.code == "inbox_not_comments"


def test_declined_comments_are_sent_the_reason_and_stay_listed_with_the_review(
        session: Session, tmp_path: Path) -> None:
    sent = send(session, tmp_path)
    document = _comments(session, tmp_path, sent.pocs["email"])
    store.decline(session=session, document=document, reason="The file is unreadable.",
                  actor="cli:ana-test", now=later(8))
    session.commit()
    found = store.comments_of(session=session, review_ids=[sent.review.id or 0])
    assert [d.status for d in found[sent.review.id or 0]] == ["declined"]
    assert session.exec(select(Submission)).all() == []

