"""A State's draft matrix sent for review and its answer, in storage (both backends): the
review, its file, its message and its paused policy; the refusals that write nothing; the
answers by button or link ("approved" approves the version, audited, and the matrix figures
count it; "comments" waits for the upload); and the reminders of a review not answered."""

import os
import stat
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from scheduler.sweep import load_facts, sweep
from storage.audit import AuditEntry
from storage.delivery_answers import AnswerOutcome
from storage.figures.matrices import matrix_shares
from storage.inbox import store
from storage.matrices import reviews
from storage.matrices.model import MatrixVersion
from storage.matrices.review_answers import ReviewAnswer, answer_review
from storage.matrices.review_model import MatrixReview, ReviewState
from storage.matrices.versions import MatrixError
from storage.outbox import Delivery, OutboxMessage
from storage.reminders import ReminderPolicy
from tests.matrices.review_support import CAP, DUE, SENT, delivery_of, later, send
from tests.matrices.support import party, version
from tests.support.documents import HTML_AS_PDF, PDF, docx
from tests.support.outbox import add_poc

CHAT = 515151
VALID = timedelta(days=90)


def test_sending_records_the_review_keeps_the_file_and_queues_one_message(
        session: Session, tmp_path: Path) -> None:
    sent = send(session, tmp_path)
    review = sent.review
    path = reviews.path_of(data_dir=tmp_path, review=review)
    assert path.read_bytes() == PDF and stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert (review.state, review.due_on, review.detected_type, review.size) == (
        "pending", DUE, "pdf", len(PDF))
    message = session.get(OutboxMessage, review.outbox_message_id)
    assert message is not None and message.template == "matrix_review"
    assert message.context["matrix_review"] == review.id and message.context["version"] == 2
    deliveries = session.exec(select(Delivery.poc_id, Delivery.channel)).all()
    assert sorted(deliveries) == sorted([(sent.pocs["email"], "email"),
                                         (sent.pocs["telegram"], "telegram")])
    policy = session.get(ReminderPolicy, review.policy_id)
    assert policy is not None and policy.paused and policy.target == "unapproved_matrix"
    assert policy.first_send_on == DUE + timedelta(days=1)
    assert [e.action for e in session.exec(select(AuditEntry).where(
        AuditEntry.entity == "matrix_review"))] == ["send_for_review"]


def _refused(session: Session, code: str, *, number: int = 2, state: str = "KEN",
             content: bytes = PDF, cap: int = CAP) -> None:
    with pytest.raises(MatrixError) as refused:
        reviews.check_draft(session=session, party=party(session, state), number=number,
                            content=content, max_bytes=cap)
    assert refused.value.code == code


def test_every_refusal_names_its_reason_and_writes_nothing(
        session: Session, tmp_path: Path) -> None:
    add_poc(session, "KEN", "Person KEN-Test", "ken@example.org")
    version(session, "KEN", 1, sent=SENT.date() - timedelta(days=400),
            approved=SENT.date() - timedelta(days=300))
    version(session, "KEN", 2, sent=SENT.date() - timedelta(days=10))
    version(session, "MAR", 1, sent=SENT.date() - timedelta(days=10))
    session.commit()
    _refused(session, "matrix_version_not_found", number=3)
    _refused(session, "matrix_already_approved", number=1)
    _refused(session, "matrix_draft_wrong_type", content=HTML_AS_PDF)
    _refused(session, "matrix_draft_too_large", cap=len(PDF) - 1)
    _refused(session, "matrix_draft_empty", content=b"")
    _refused(session, "matrix_review_no_poc", state="MAR", number=1)
    _refused(session, "matrix_not_a_state", state="IAEA")
    assert session.exec(select(MatrixReview)).all() == []
    assert session.exec(select(OutboxMessage)).all() == []
    assert not (tmp_path / "matrices").exists()


def test_a_docx_draft_goes_as_docx(session: Session, tmp_path: Path) -> None:
    assert send(session, tmp_path, content=docx("Matrix")).review.detected_type == "docx"


def test_a_long_file_name_is_cut_visibly_and_kept(session: Session, tmp_path: Path) -> None:
    add_poc(session, "KEN", "Person KEN-Test", "ken@example.org")
    version(session, "KEN", 2, sent=SENT.date() - timedelta(days=10))
    draft = reviews.check_draft(session=session, party=party(session, "KEN"), number=2,
                                content=PDF, max_bytes=CAP)
    review = reviews.send_for_review(session=session, draft=draft, file_name="m" * 300 + ".pdf",
                                     due_on=DUE, data_dir=tmp_path, actor="t", now=SENT)
    session.commit()
    session.expire_all()
    stored = session.get(MatrixReview, review.id)
    assert stored is not None and len(stored.file_name) == 200
    assert stored.file_name.startswith("m" * 100) and stored.file_name.endswith(".pdf")
    assert "m" * 196 not in stored.file_name  # a visible mark says what is missing


def _approved_on(session: Session) -> date | None:
    session.expire_all()
    return session.exec(select(MatrixVersion).where(MatrixVersion.version == 2)).one().approved_on


def _answer(session: Session, delivery_id: int, answer: ReviewAnswer, days: int = 3,
            chat: int | None = None, channel: str = "telegram") -> AnswerOutcome | None:
    taken = answer_review(session=session, delivery_id=delivery_id, answer=answer,
                          channel=channel, now=later(days), valid_for=VALID,
                          telegram_chat_id=chat)
    session.commit()
    return None if taken is None else taken.outcome


def test_an_approval_by_button_approves_the_version_and_the_figures_count_it(
        session: Session, tmp_path: Path) -> None:
    sent = send(session, tmp_path)
    day = later(3).date()
    before = matrix_shares(session=session, on=day)
    delivery = delivery_of(session, sent.pocs["telegram"])
    assert _answer(session, delivery, ReviewAnswer.APPROVED, chat=CHAT) is AnswerOutcome.RECORDED
    after = matrix_shares(session=session, on=day)
    assert (before.overall.percent, after.overall.percent) == (30, 80)
    assert before.states == after.states == 1  # Kenya counts with its newer version now
    version_row = session.exec(select(MatrixVersion).where(MatrixVersion.version == 2)).one()
    assert version_row.approved_on == day
    approvals = session.exec(select(AuditEntry).where(AuditEntry.action == "approve")).all()
    assert [e.actor for e in approvals] == [f"poc:{sent.pocs['telegram']}"]
    review = session.get(MatrixReview, sent.review.id)
    assert review is not None and (review.state, review.answer_channel) == ("approved",
                                                                            "telegram")
    # the same press again changes nothing, comments after an approval neither
    assert _answer(session, delivery, ReviewAnswer.APPROVED, chat=CHAT) is AnswerOutcome.REPEATED
    assert _answer(session, delivery, ReviewAnswer.COMMENTS, chat=CHAT) is AnswerOutcome.REPEATED
    assert len(session.exec(select(AuditEntry).where(
        col(AuditEntry.action).in_(["approve", "review_approved",
                                    "review_comments"]))).all()) == 2


def test_comments_keep_the_review_open_until_an_approval(
        session: Session, tmp_path: Path) -> None:
    sent = send(session, tmp_path)
    delivery = delivery_of(session, sent.pocs["email"])
    assert _answer(session, delivery, ReviewAnswer.COMMENTS, channel="email") is (
        AnswerOutcome.RECORDED)
    assert _answer(session, delivery, ReviewAnswer.COMMENTS, channel="email") is (
        AnswerOutcome.REPEATED)
    session.expire_all()
    review = session.get(MatrixReview, sent.review.id)
    assert review is not None and review.state == ReviewState.COMMENTS
    assert _approved_on(session) is None
    assert _answer(session, delivery, ReviewAnswer.APPROVED, days=20, channel="email") is (
        AnswerOutcome.RECORDED)
    assert _approved_on(session) == later(20).date()


def test_another_chat_an_unknown_delivery_and_an_old_message_change_nothing(
        session: Session, tmp_path: Path) -> None:
    sent = send(session, tmp_path)
    delivery = delivery_of(session, sent.pocs["telegram"])
    assert _answer(session, delivery, ReviewAnswer.APPROVED, chat=777003) is None
    assert _answer(session, 999_999, ReviewAnswer.APPROVED) is None
    assert _answer(session, delivery, ReviewAnswer.APPROVED, days=91, chat=CHAT) is (
        AnswerOutcome.EXPIRED)
    assert _approved_on(session) is None
    assert session.exec(select(AuditEntry).where(AuditEntry.action == "approve")).all() == []


def _due_reviews(session: Session, days: int) -> list[int]:
    plan = load_facts(session, include_paused=True).plan(later(days))
    return [due.party_id for due in plan.due]


def test_a_state_is_reminded_after_the_due_date_until_it_answers(
        session: Session, tmp_path: Path) -> None:
    sent = send(session, tmp_path)
    kenya = party(session, "KEN").id
    past_due = (DUE - SENT.date()).days + 1
    assert _due_reviews(session, past_due - 1) == []
    assert _due_reviews(session, past_due) == [kenya]
    assert load_facts(session).plan(later(past_due)).due == []  # paused until staff resume
    delivery = delivery_of(session, sent.pocs["email"])
    _answer(session, delivery, ReviewAnswer.COMMENTS, channel="email")
    assert _due_reviews(session, past_due) == []  # comments under review: no reminder
    _answer(session, delivery, ReviewAnswer.APPROVED, days=past_due, channel="email")
    assert _due_reviews(session, past_due + 40) == []


def test_the_sweep_queues_a_review_reminder_once_across_runs(
        session: Session, tmp_path: Path) -> None:
    sent = send(session, tmp_path)
    policy = session.get(ReminderPolicy, sent.review.policy_id)
    assert policy is not None
    policy.paused = False
    session.add(policy)
    session.commit()
    at = later((DUE - SENT.date()).days + 2)
    first = sweep(session=session, now=at)
    second = sweep(session=session, now=at)
    assert len(first.queued) == 1 and second.queued == []
    reminder = session.exec(select(OutboxMessage).where(
        OutboxMessage.kind == "reminder")).one()
    assert reminder.template == "reminder_matrix"
    assert reminder.context["matrix_review"] == sent.review.id
    assert reminder.context["respond_by"] == DUE.isoformat()


def test_the_comments_come_back_as_an_inbox_document_of_their_own_purpose(
        session: Session, tmp_path: Path) -> None:
    sent = send(session, tmp_path)
    document = store.receive(session=session, incoming=store.Incoming(
        poc_id=sent.pocs["email"], purpose="matrix_comments", original_name="comments.docx",
        content=docx("Our comments"), channel="web"), data_dir=tmp_path, max_bytes=CAP,
        now=later(5))
    session.commit()
    session.expire_all()
    assert [(d.purpose, d.party_id) for d, _ in store.listing(session=session)] == [
        ("matrix_comments", party(session, "KEN").id)]
    assert document.status == "received"
