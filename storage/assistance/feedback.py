"""A requesting State's answer, a year after a match, on how the assistance went: each PoC's
latest answer per request (by a button or a signed link of the follow-up message), or one
staff recorded from a note verbale. Audited; giving the same answer again changes nothing."""

from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from storage import audit
from storage.assistance.model import AssistanceFeedback, AssistanceRequest, FeedbackAnswer
from storage.assistance.requests import AssistanceError
from storage.outbox import Delivery, OutboxMessage

FOLLOW_UP_TEMPLATE = "assistance_follow_up"


def _snapshot(row: AssistanceFeedback) -> dict[str, Any]:
    return {"request_id": row.request_id, "poc_id": row.poc_id, "answer": row.answer,
            "channel": row.channel}


def record(*, session: Session, request_id: int, poc_id: int | None, answer: str,
           channel: str, actor: str, now: datetime) -> bool:
    """Keep `answer` as this PoC's (or, with no PoC, staff's) answer on the request; False
    when it was already the answer."""
    if answer not in set(FeedbackAnswer):
        raise AssistanceError("assistance_unknown_feedback", value=answer,
                              allowed=", ".join(FeedbackAnswer))
    if session.get(AssistanceRequest, request_id) is None:
        raise AssistanceError("assistance_not_found", id=str(request_id))
    query = select(AssistanceFeedback).where(AssistanceFeedback.request_id == request_id)
    query = query.where(col(AssistanceFeedback.poc_id).is_(None) if poc_id is None
                        else AssistanceFeedback.poc_id == poc_id)
    found = session.exec(query).first()
    if found is not None and found.answer == answer:
        return False
    before = None if found is None else _snapshot(found)
    row = found or AssistanceFeedback(request_id=request_id, poc_id=poc_id, answer=answer,
                                      channel=channel, at=now)
    row.answer, row.channel, row.at = answer, channel, now
    session.add(row)
    session.flush()
    audit.record(session=session, actor=actor, action="feedback", entity="assistance_request",
                 entity_id=request_id, before=before, after=_snapshot(row), now=now)
    return True


def follow_up_of(*, session: Session, delivery_id: int) -> tuple[int, int] | None:
    """(request id, PoC id) when the delivery is of a follow-up message; else None."""
    found = session.exec(select(Delivery, OutboxMessage)
                         .join(OutboxMessage, col(OutboxMessage.id) == col(Delivery.message_id))
                         .where(Delivery.id == delivery_id)).first()
    if found is None:
        return None
    delivery, message = found
    if message.template != FOLLOW_UP_TEMPLATE:
        return None
    request = message.context.get("request")
    if not isinstance(request, dict) or not isinstance(request.get("id"), int):
        return None
    return request["id"], delivery.poc_id


def answers(*, session: Session, request_id: int) -> list[AssistanceFeedback]:
    query = select(AssistanceFeedback).where(AssistanceFeedback.request_id == request_id)
    return list(session.exec(query.order_by(col(AssistanceFeedback.at))))
