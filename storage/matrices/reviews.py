"""Sending a State its draft matrix for review, and reading where the reviews stand; every
write audited.

`check_draft` refuses, before anything is written: a version that does not exist or is
already approved, a file that is empty, over the size cap or not PDF/DOCX/ODT/XLSX by its
content (storage.inbox.detect), a State with no active PoC. `send_for_review` then keeps the
file under <data dir>/matrices/ (a name it chooses, mode 0600), queues one message to the
State's active PoCs by every channel each can be reached on (the dispatcher attaches the
draft), and creates the review's reminder policy PAUSED, as a letter's: staff resume it.
"""

import hashlib
import os
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from storage import audit, outbox
from storage.columns import within
from storage.inbox.detect import detect
from storage.matrices.model import MatrixVersion
from storage.matrices.review_model import (
    CONTEXT_KEY,
    FILE_NAME_MAX,
    REVIEW_REMINDER_TEMPLATE,
    REVIEW_TARGET,
    REVIEW_TEMPLATE,
    MatrixReview,
    ReviewState,
)
from storage.matrices.versions import MatrixError, find
from storage.parties import Party, PartyKind
from storage.pocs import PocStatus, PointOfContact
from storage.reminders import ReminderPolicy, policy_snapshot

FOLDER = "matrices"
ENTITY = "matrix_review"
# A review's reminder policy, created paused with the review: staff resume it to send.
REVIEW_CADENCE_DAYS, REVIEW_MAX_REMINDERS, REVIEW_ESCALATE_AFTER = 30, 3, 2
DEFAULT_RESPOND_DAYS = 60  # when staff give no --respond-by
# The largest draft sent, whatever OUTREACH_UPLOAD_MAX_BYTES: base64 makes an e-mail a third
# larger, and many relays refuse messages over 25 MB (15 MiB of PDF is about 21 MB sent).
DRAFT_MAX_BYTES = 15 * 1024 * 1024


@dataclass(frozen=True)
class Draft:
    """A draft that passed every check, ready to be sent."""

    party: Party
    version: MatrixVersion
    content: bytes
    detected_type: str
    poc_ids: tuple[int, ...]


def snapshot(review: MatrixReview) -> dict[str, Any]:
    return {"version_id": review.version_id, "outbox_message_id": review.outbox_message_id,
            "file_name": review.file_name, "stored_name": review.stored_name,
            "checksum": review.checksum, "size": review.size,
            "detected_type": review.detected_type, "due_on": review.due_on.isoformat(),
            "policy_id": review.policy_id, "state": review.state,
            "answered_on": review.answered_on.isoformat() if review.answered_on else None,
            "answered_by": review.answered_by, "answer_channel": review.answer_channel}


def path_of(*, data_dir: Path, review: MatrixReview) -> Path:
    return data_dir / FOLDER / review.stored_name


def active_pocs(*, session: Session, party_id: int) -> tuple[int, ...]:
    return tuple(session.exec(select(PointOfContact.id).where(
        PointOfContact.party_id == party_id, PointOfContact.status == PocStatus.ACTIVE)
        .order_by(col(PointOfContact.id))).all())  # type: ignore[arg-type]


def check_draft(*, session: Session, party: Party, number: int, content: bytes,
                max_bytes: int) -> Draft:
    """The draft as it would go; MatrixError (nothing written) when it may not."""
    if party.kind != PartyKind.STATE or party.id is None:
        raise MatrixError("matrix_not_a_state", value=party.code)
    version = find(session=session, party_id=party.id, version=number)
    if version is None:
        raise MatrixError("matrix_version_not_found", state=party.code, version=str(number))
    if version.approved_on is not None:
        raise MatrixError("matrix_already_approved", version=str(number),
                          approved_on=version.approved_on.isoformat())
    if not content:
        raise MatrixError("matrix_draft_empty")
    if len(content) > max_bytes:
        raise MatrixError("matrix_draft_too_large", limit=str(max_bytes))
    found = detect(content)
    if found is None:
        raise MatrixError("matrix_draft_wrong_type")
    poc_ids = active_pocs(session=session, party_id=party.id)
    if not poc_ids:
        raise MatrixError("matrix_review_no_poc", state=party.code)
    return Draft(party, version, content, found.value, poc_ids)


def _file_name(given: str, detected_type: str) -> str:
    """The name the PoC sees: as staff gave it, or cut visibly keeping its extension (a mail
    client opens an attachment by it)."""
    name = given.strip() or f"matrix.{detected_type}"
    stem, dot, suffix = name.rpartition(".")
    if len(name) <= FILE_NAME_MAX or not dot or len(suffix) > 10:
        return within(name, FILE_NAME_MAX)
    return within(stem, FILE_NAME_MAX - len(suffix) - 1) + "." + suffix


def _write(data_dir: Path, name: str, content: bytes) -> None:
    target = data_dir / FOLDER
    target.mkdir(parents=True, exist_ok=True, mode=0o700)
    descriptor = os.open(target / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(content)


def _policy(session: Session, review: MatrixReview, party: Party, version: int,
            actor: str, now: datetime) -> ReminderPolicy:
    policy = ReminderPolicy(
        name=f"matrix-review-{review.id}: {party.code} v{version}"[:80], target=REVIEW_TARGET,
        template=REVIEW_REMINDER_TEMPLATE, channels=["email", "telegram"],
        first_send_on=review.due_on + timedelta(days=1), paused=True, created_by=actor,
        created_at=now, cadence_days=REVIEW_CADENCE_DAYS, max_reminders=REVIEW_MAX_REMINDERS,
        escalate_after=REVIEW_ESCALATE_AFTER)
    session.add(policy)
    session.flush()
    audit.record(session=session, actor=actor, action="create", entity="reminder_policy",
                 entity_id=policy.id or 0, before=None, after=policy_snapshot(policy), now=now)
    return policy


def send_for_review(*, session: Session, draft: Draft, file_name: str, due_on: date | None,
                    data_dir: Path, actor: str, now: datetime) -> MatrixReview:
    """Record the review, keep the file, queue the message and create the paused policy.
    The caller commits (the file is written first: a failed commit leaves an unnamed file,
    never a review without its file)."""
    due = due_on or now.date() + timedelta(days=DEFAULT_RESPOND_DAYS)
    if due < now.date():
        raise MatrixError("matrix_review_bad_due", value=due.isoformat())
    stored_name = f"{secrets.token_hex(16)}.{draft.detected_type}"
    review = MatrixReview(
        version_id=draft.version.id or 0, file_name=_file_name(file_name, draft.detected_type),
        stored_name=stored_name, checksum=hashlib.sha256(draft.content).hexdigest(),
        size=len(draft.content), detected_type=draft.detected_type, due_on=due,
        created_by=actor, created_at=now)
    _write(data_dir, stored_name, draft.content)
    session.add(review)
    session.flush()
    audience = outbox.audience_of(session=session, poc_ids=list(draft.poc_ids))
    message = outbox.enqueue(
        session=session, kind="one_off", template=REVIEW_TEMPLATE,
        context={CONTEXT_KEY: review.id, "version": draft.version.version,
                 "respond_by": due.isoformat(), "file_name": review.file_name},
        audience=f"matrix review {review.id}: {draft.party.code}",
        recipients=audience.recipients, created_by=actor, now=now,
        dedupe_key=f"matrix-review-{review.id}")
    review.outbox_message_id = message.id
    review.policy_id = _policy(session, review, draft.party, draft.version.version, actor,
                               now).id
    session.add(review)
    session.flush()
    audit.record(session=session, actor=actor, action="send_for_review", entity=ENTITY,
                 entity_id=review.id or 0, before=None, after=snapshot(review), now=now)
    return review


def get(*, session: Session, review_id: int) -> MatrixReview | None:
    return session.get(MatrixReview, review_id)


def of_party(*, session: Session, party_id: int) -> list[tuple[MatrixReview, MatrixVersion]]:
    """The State's reviews, newest first."""
    query = (select(MatrixReview, MatrixVersion)
             .join(MatrixVersion, col(MatrixVersion.id) == col(MatrixReview.version_id))
             .where(MatrixVersion.party_id == party_id).order_by(col(MatrixReview.id).desc()))
    return [(review, version) for review, version in session.exec(query)]


def awaiting(*, session: Session, party_id: int) -> MatrixReview | None:
    """The State's review awaiting its answer (not approved, its version not approved either),
    newest first: the one a comments document answers; None when there is none."""
    query = (select(MatrixReview)
             .join(MatrixVersion, col(MatrixVersion.id) == col(MatrixReview.version_id))
             .where(MatrixVersion.party_id == party_id,
                    col(MatrixReview.state) != ReviewState.APPROVED,
                    col(MatrixVersion.approved_on).is_(None))
             .order_by(col(MatrixReview.id).desc()))
    return session.exec(query).first()


def set_state(*, session: Session, review: MatrixReview, state: ReviewState, on: date,
              poc_id: int, channel: str, actor: str, now: datetime) -> None:
    """The State's answer as the review keeps it (audited)."""
    before = snapshot(review)
    review.state, review.answered_on = state.value, on
    review.answered_by, review.answer_channel = poc_id, channel
    session.add(review)
    session.flush()
    audit.record(session=session, actor=actor, action=f"review_{state.value}", entity=ENTITY,
                 entity_id=review.id or 0, before=before, after=snapshot(review), now=now)


@dataclass(frozen=True)
class Owed:
    """A review with a reminder policy, for the sweep."""

    review_id: int
    party_id: int
    due_on: date
    state: str


def reminder_facts(*, session: Session) -> tuple[dict[int, int], list[Owed]]:
    """policy id -> review id, and every review with a policy and its State."""
    query = (select(MatrixReview, MatrixVersion.party_id)
             .join(MatrixVersion, col(MatrixVersion.id) == col(MatrixReview.version_id))
             .where(col(MatrixReview.policy_id).is_not(None)).order_by(col(MatrixReview.id)))
    by_policy: dict[int, int] = {}
    owed: list[Owed] = []
    for review, party_id in session.exec(query):
        by_policy[review.policy_id or 0] = review.id or 0
        owed.append(Owed(review.id or 0, party_id, review.due_on, review.state))
    return by_policy, owed


def reminder_context(*, session: Session, review_id: int) -> dict[str, object]:
    """What a review's reminder says: which version, sent when, answer asked by when."""
    review = session.get(MatrixReview, review_id)
    if review is None:
        return {}
    version = session.get(MatrixVersion, review.version_id)
    return {CONTEXT_KEY: review_id, "version": version.version if version else 0,
            "review_sent_on": review.created_at.date().isoformat(),
            "respond_by": review.due_on.isoformat()}


def review_of_message(message: outbox.OutboxMessage) -> int | None:
    """The review an outbox message carries or reminds of, by its context."""
    found = message.context.get(CONTEXT_KEY)
    return found if isinstance(found, int) else None
