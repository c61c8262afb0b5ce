"""What the outbox stores from outside (an SMTP server's or Telegram's words, an audience
built from a list) fits its columns, visibly cut, never a crash (PostgreSQL enforces the
lengths SQLite ignores)."""

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from storage import outbox
from storage.outbox import Delivery, DeliveryState, OutboxMessage
from tests.support.outbox import NOW, email_only, invent_pocs, queue

# What a chatty SMTP relay may answer: a long multi-line reply, with a NUL in it.
SERVER_WORDS = "550-5.1.1 mailbox unavailable\x00\n" + "550-5.1.1 see the policy " * 200


def claimed_delivery(session: Session) -> int:
    queue(session, invent_pocs(session, 1))
    [delivery_id] = outbox.claim(session=session, owner="me", now=NOW, limit=1,
                                 lease=timedelta(minutes=5))
    assert outbox.mark_sending(session=session, delivery_id=delivery_id, owner="me", now=NOW,
                               lease=timedelta(minutes=5))
    return delivery_id


@pytest.mark.parametrize("outcome", ["failed", "retry", "uncertain"])
def test_a_long_reason_is_kept_cut_with_a_visible_mark(session: Session, outcome: str) -> None:
    delivery_id = claimed_delivery(session)
    record = {"failed": outbox.record_failed, "uncertain": outbox.record_uncertain,
              "retry": lambda **kw: outbox.record_retry(**kw, next_attempt_at=NOW)}[outcome]

    assert record(session=session, delivery_id=delivery_id, owner="me", now=NOW,
                  reason=SERVER_WORDS)

    session.expire_all()
    delivery = session.get(Delivery, delivery_id)
    assert delivery is not None and delivery.state == DeliveryState(outcome)
    assert len(delivery.last_error) <= outbox.LAST_ERROR_MAX
    assert delivery.last_error.startswith("550-5.1.1 mailbox unavailable")
    assert "\x00" not in delivery.last_error
    hidden = len(SERVER_WORDS) - (outbox.LAST_ERROR_MAX - len(" [... 9999 more characters]"))
    assert delivery.last_error.endswith(f"[... {hidden} more characters]")


def test_a_short_reason_is_kept_as_it_is(session: Session) -> None:
    delivery_id = claimed_delivery(session)
    outbox.record_failed(session=session, delivery_id=delivery_id, owner="me", now=NOW,
                         reason="550 5.1.1 no such user")
    session.expire_all()
    delivery = session.get(Delivery, delivery_id)
    assert delivery is not None and delivery.last_error == "550 5.1.1 no such user"


def test_an_audience_too_long_for_its_column_is_cut_visibly(session: Session) -> None:
    poc_ids = invent_pocs(session, 1)
    outbox.enqueue(session=session, kind="one_off", template="contact_check", context={},
                   audience="to: " + "x" * 1000, recipients=email_only(poc_ids),
                   created_by="test", now=NOW)
    session.commit()
    stored = session.exec(select(OutboxMessage.audience)).one()
    assert len(stored) <= outbox.AUDIENCE_MAX and stored.endswith("more characters]")
