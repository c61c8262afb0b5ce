"""Receiving a PoC's document and staff's decision on it; every write audited.

The bytes go to <data dir>/inbox/<stored name>, a name this module chooses (random, with the
detected type's extension), written once with mode 0600 and never served by the web pages;
the row keeps the name as the PoC gave it only to show staff. A file refused (empty, too
large, not PDF/DOCX/ODT/XLSX by content, a PoC who is not active) writes nothing at all.
"""

import hashlib
import os
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from storage import audit, letters, outbox, pocs, submissions
from storage.columns import within
from storage.inbox.detect import detect
from storage.inbox.model import (
    ORIGINAL_NAME_MAX,
    REASON_MAX,
    InboxStatus,
    Purpose,
    ReceivedDocument,
)
from storage.matrices import reviews
from storage.matrices.review_model import MatrixReview, ReviewState
from storage.parties import Party, PartyKind

INBOX_FOLDER = "inbox"
DECLINED_TEMPLATE = "inbox_declined"
DEFAULT_MAX_BYTES = 20 * 1024 * 1024


class InboxError(Exception):
    """A refusal: `code` names the sentence saying why (CLI messages, chat and page words)."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Incoming:
    poc_id: int
    purpose: str
    original_name: str
    content: bytes
    channel: str
    letter_id: int | None = None  # the letter it answers (purpose letter_response only)


def snapshot(document: ReceivedDocument) -> dict[str, Any]:
    return {
        "party_id": document.party_id, "poc_id": document.poc_id, "purpose": document.purpose,
        "original_name": document.original_name, "stored_name": document.stored_name,
        "size": document.size, "checksum": document.checksum,
        "detected_type": document.detected_type, "channel": document.channel,
        "status": document.status, "duplicate_of": document.duplicate_of,
        "submission_kind": document.submission_kind,
        "submitted_on": document.submitted_on.isoformat() if document.submitted_on else None,
        "submission_id": document.submission_id, "decline_reason": document.decline_reason,
        "letter_id": document.letter_id, "matrix_review_id": document.matrix_review_id,
    }


def folder(data_dir: Path) -> Path:
    return data_dir / INBOX_FOLDER


def path_of(*, data_dir: Path, document: ReceivedDocument) -> Path | None:
    """Where the document's bytes are; None for a duplicate (the first one's bytes count)."""
    return folder(data_dir) / document.stored_name if document.stored_name else None


def check(*, content: bytes, max_bytes: int) -> str:
    """The detected type of an acceptable file; InboxError otherwise (nothing is written)."""
    if not content:
        raise InboxError("inbox_empty")
    if len(content) > max_bytes:
        raise InboxError("inbox_too_large", limit=max_bytes)
    found = detect(content)
    if found is None:
        raise InboxError("inbox_wrong_type")
    return found.value


def _write(data_dir: Path, name: str, content: bytes) -> None:
    target = folder(data_dir)
    target.mkdir(parents=True, exist_ok=True, mode=0o700)
    descriptor = os.open(target / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(content)


def _earlier(session: Session, party_id: int, checksum: str) -> ReceivedDocument | None:
    query = select(ReceivedDocument).where(
        ReceivedDocument.party_id == party_id, ReceivedDocument.checksum == checksum,
        ReceivedDocument.status != InboxStatus.DUPLICATE).order_by(col(ReceivedDocument.id))
    return session.exec(query).first()


def receive(*, session: Session, incoming: Incoming, data_dir: Path, max_bytes: int,
            now: datetime) -> ReceivedDocument:
    """Record a document a PoC sent for their own State or organisation (the PoC's party: a
    PoC cannot choose another). The same bytes from the same party again are recorded as a
    duplicate of the first, which changes nothing else and keeps no second copy."""
    if incoming.purpose not in set(Purpose):
        raise InboxError("inbox_unknown_purpose", value=incoming.purpose,
                         allowed=", ".join(Purpose))
    poc = pocs.get(session=session, poc_id=incoming.poc_id)
    if poc is None or poc.status != pocs.PocStatus.ACTIVE:
        raise InboxError("inbox_not_a_poc")
    if incoming.letter_id is not None:
        if incoming.purpose != Purpose.LETTER_RESPONSE:
            raise InboxError("inbox_letter_needs_response", purpose=incoming.purpose)
        _written_to(session, incoming.letter_id, poc.party_id)
    review = (_awaiting_review(session, poc.party_id)
              if incoming.purpose == Purpose.MATRIX_COMMENTS else None)
    kind = check(content=incoming.content, max_bytes=max_bytes)
    checksum = hashlib.sha256(incoming.content).hexdigest()
    earlier = _earlier(session, poc.party_id, checksum)
    document = ReceivedDocument(
        party_id=poc.party_id, poc_id=incoming.poc_id, purpose=incoming.purpose,
        original_name=within(incoming.original_name.strip() or "-", ORIGINAL_NAME_MAX),
        size=len(incoming.content), checksum=checksum, detected_type=kind,
        channel=incoming.channel, received_at=now, letter_id=incoming.letter_id,
        matrix_review_id=review.id if review is not None else None)
    if earlier is not None:
        document.status, document.duplicate_of = InboxStatus.DUPLICATE, earlier.id
    else:
        document.stored_name = f"{secrets.token_hex(16)}.{kind}"
        _write(data_dir, document.stored_name, incoming.content)
    session.add(document)
    session.flush()
    assert document.id is not None
    audit.record(session=session, actor=f"poc:{incoming.poc_id}", action="receive",
                 entity="inbox_document", entity_id=document.id, before=None,
                 after=snapshot(document), now=now)
    if review is not None and document.status == InboxStatus.RECEIVED:
        _comments_came(session, review, document, now)
    return document


def _awaiting_review(session: Session, party_id: int) -> MatrixReview:
    """The party's review awaiting an answer, which comments answer; InboxError without one
    (an organisation has none, nor a State whose drafts are all approved)."""
    review = reviews.awaiting(session=session, party_id=party_id)
    if review is None:
        raise InboxError("inbox_no_pending_review")
    return review


def _comments_came(session: Session, review: MatrixReview, document: ReceivedDocument,
                   now: datetime) -> None:
    """A review still "pending" becomes "comments" (its reminders wait: scheduler.
    matrix_reviews), as when the PoC pressed "comments attached" first."""
    if review.state == ReviewState.PENDING:
        reviews.set_state(session=session, review=review, state=ReviewState.COMMENTS,
                          on=now.date(), poc_id=document.poc_id, channel=document.channel,
                          actor=f"poc:{document.poc_id}", now=now)


def get(*, session: Session, document_id: int) -> ReceivedDocument:
    document = session.get(ReceivedDocument, document_id)
    if document is None:
        raise InboxError("inbox_not_found", id=document_id)
    return document


def listing(*, session: Session, status: str | None = None,
            party_id: int | None = None) -> list[tuple[ReceivedDocument, Party]]:
    query = (select(ReceivedDocument, Party)
             .join(Party, col(Party.id) == col(ReceivedDocument.party_id))
             .order_by(col(ReceivedDocument.received_at), col(ReceivedDocument.id)))
    if status is not None:
        query = query.where(ReceivedDocument.status == status)
    if party_id is not None:
        query = query.where(ReceivedDocument.party_id == party_id)
    return [(document, party) for document, party in session.exec(query)]


def under_review(*, session: Session, party_id: int) -> list[ReceivedDocument]:
    """The party's documents staff have not decided on yet, oldest first (/mystatus)."""
    return [document for document, _ in listing(session=session, party_id=party_id,
                                                status=InboxStatus.RECEIVED)]


def _undecided(document: ReceivedDocument) -> None:
    if document.status != InboxStatus.RECEIVED:
        raise InboxError("inbox_already_decided", id=document.id, status=document.status)


def confirm(*, session: Session, document: ReceivedDocument, kind: str, submitted_on: date,
            actor: str, now: datetime) -> submissions.Submission:
    """Record the document as a submission of the party's reporting history (or link it to
    the one already recorded for that kind and day); the reminders follow from it."""
    _undecided(document)
    if document.purpose == Purpose.MATRIX_COMMENTS:
        raise InboxError("inbox_comments_no_kind", id=document.id)
    if kind not in set(submissions.SubmissionKind):
        raise InboxError("inbox_unknown_kind", value=kind,
                         allowed=", ".join(submissions.SubmissionKind))
    if not submissions.RESOLUTION_ADOPTED <= submitted_on <= now.date():
        raise InboxError("inbox_bad_date", value=submitted_on.isoformat())
    party = session.get(Party, document.party_id)
    if party is None or party.kind != PartyKind.STATE:
        raise InboxError("inbox_not_a_state", id=document.id)
    submission = submissions.find(session=session, party_id=document.party_id, kind=kind,
                                  submitted_on=submitted_on) or submissions.add(
        session=session, party_id=document.party_id, kind=kind, submitted_on=submitted_on,
        symbol="", note=f"inbox document {document.id}", actor=actor, now=now)
    before = snapshot(document)
    document.status, document.decided_by, document.decided_at = (
        InboxStatus.CONFIRMED, actor, now)
    document.submission_kind, document.submitted_on = kind, submitted_on
    document.submission_id = submission.id
    session.add(document)
    assert document.id is not None
    audit.record(session=session, actor=actor, action="confirm", entity="inbox_document",
                 entity_id=document.id, before=before, after=snapshot(document), now=now)
    return submission


def mark_read(*, session: Session, document: ReceivedDocument, actor: str,
              now: datetime) -> None:
    """Confirm comments on a draft matrix: staff have read them (audited). No submission and
    no reporting history: the State answers its review by approving a draft."""
    _undecided(document)
    if document.purpose != Purpose.MATRIX_COMMENTS:
        raise InboxError("inbox_not_comments", id=document.id)
    before = snapshot(document)
    document.status, document.decided_by, document.decided_at = (
        InboxStatus.CONFIRMED, actor, now)
    session.add(document)
    assert document.id is not None
    audit.record(session=session, actor=actor, action="read_comments",
                 entity="inbox_document", entity_id=document.id, before=before,
                 after=snapshot(document), now=now)


def comments_of(*, session: Session, review_ids: list[int]) -> dict[int, list[ReceivedDocument]]:
    """review id -> the comments documents it received (not duplicates), oldest first."""
    if not review_ids:
        return {}
    query = (select(ReceivedDocument)
             .where(col(ReceivedDocument.matrix_review_id).in_(review_ids),
                    ReceivedDocument.status != InboxStatus.DUPLICATE)
             .order_by(col(ReceivedDocument.received_at), col(ReceivedDocument.id)))
    found: dict[int, list[ReceivedDocument]] = {}
    for document in session.exec(query):
        found.setdefault(document.matrix_review_id or 0, []).append(document)
    return found


def decline(*, session: Session, document: ReceivedDocument, reason: str, actor: str,
            now: datetime) -> outbox.OutboxMessage:
    """Decline the document; the PoC is sent the reason (once: the outbox's dedupe key)."""
    _undecided(document)
    reason = reason.strip()
    if not reason:
        raise InboxError("inbox_no_reason")
    if len(reason) > REASON_MAX:
        raise InboxError("inbox_reason_too_long", limit=REASON_MAX)
    assert document.id is not None
    audience = outbox.audience_of(session=session, poc_ids=[document.poc_id])
    message = outbox.enqueue(
        session=session, kind="one_off", template=DECLINED_TEMPLATE,
        context={"reason": reason, "file_name": document.original_name,
                 "received_on": document.received_at.date().isoformat()},
        audience=f"poc {document.poc_id}", recipients=audience.recipients, created_by=actor,
        now=now, dedupe_key=f"inbox-declined-{document.id}")
    before = snapshot(document)
    document.status, document.decided_by, document.decided_at = (
        InboxStatus.DECLINED, actor, now)
    document.decline_reason, document.decline_message_id = reason, message.id
    session.add(document)
    audit.record(session=session, actor=actor, action="decline", entity="inbox_document",
                 entity_id=document.id, before=before, after=snapshot(document), now=now)
    return message


def tell_staff_once(*, session: Session, now: datetime) -> list[tuple[ReceivedDocument, Party]]:
    """The documents received (not duplicates) that staff were not told of yet, now marked
    as told: each is announced once, even when two processes ask (the conditional update)."""
    found = []
    for document, party in listing(session=session, status=InboxStatus.RECEIVED):
        if document.staff_told_at is not None:
            continue
        claimed = session.execute(
            update(ReceivedDocument)
            .where(col(ReceivedDocument.id) == document.id,
                   col(ReceivedDocument.staff_told_at).is_(None))
            .values(staff_told_at=now))
        if claimed.rowcount == 1:  # type: ignore[attr-defined]
            found.append((document, party))
    return found


def _written_to(session: Session, letter_id: int, party_id: int) -> letters.Letter:
    """The letter, when it was written to the party; InboxError otherwise."""
    try:
        letter = letters.get(session=session, letter_id=letter_id)
    except letters.LetterError:
        raise InboxError("inbox_letter_not_found", letter=letter_id) from None
    if all(party.id != party_id for party in letters.written_to(session=session,
                                                                  letter=letter)):
        raise InboxError("inbox_letter_not_written_to", letter=letter_id)
    return letter


def confirm_response(*, session: Session, document: ReceivedDocument, letter_id: int,
                     substantive: bool, responded_on: date, actor: str,
                     now: datetime) -> letters.Recorded:
    """Record the document as its party's response to the letter (storage.letters.record,
    audited, the document attached): the letter's figures count it and its reminders stop.
    `letter_id` may correct the letter the PoC named; it must have been written to the
    document's party."""
    _undecided(document)
    _written_to(session, letter_id, document.party_id)
    if responded_on > now.date():
        raise InboxError("inbox_bad_date", value=responded_on.isoformat())
    assert document.id is not None
    done = letters.record(
        session=session, letter_id=letter_id, party_id=document.party_id,
        kind=letters.ResponseKind.RESPONSE, on=responded_on,
        channel="telegram" if document.channel == "telegram" else "email", actor=actor,
        now=now, substantive=substantive, poc_id=document.poc_id, document_id=document.id)
    before = snapshot(document)
    document.status, document.decided_by, document.decided_at = (
        InboxStatus.CONFIRMED, actor, now)
    document.letter_id, document.submitted_on = letter_id, responded_on
    session.add(document)
    audit.record(session=session, actor=actor, action="confirm", entity="inbox_document",
                 entity_id=document.id, before=before, after=snapshot(document), now=now)
    return done
