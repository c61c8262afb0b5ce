"""An SMTP outage clears up without a person: the dispatcher retries, later, what the relay
could not take, and each delivery arrives once when it is back. A real SMTP server on
loopback, in this process; the clock is the dispatcher's, moved by the spec."""

import asyncio
import re
from collections import Counter
from datetime import timedelta

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from bot.channels.email.config import SmtpConfig
from bot.channels.email.smtp import SmtpSender
from bot.delivery.dispatcher import Dispatcher
from storage.outbox import Delivery, DeliveryState
from tests.support.outbox import NOW, invent_pocs, queue
from tests.support.smtp_sink import ReceivedMessage, SmtpSink

MAIL_FROM = "1540 Committee <outreach@example.org>"
MESSAGE_ID = re.compile(r"<delivery-(\d+)\.message-(\d+)@[^>]+>")


def delivery_ids_received(messages: list[ReceivedMessage]) -> Counter[int]:
    received: Counter[int] = Counter()
    for message in messages:
        match = MESSAGE_ID.fullmatch(str(message.parsed()["Message-ID"]))
        assert match is not None, f"a message without our Message-ID: {message.data[:300]!r}"
        received[int(match.group(1))] += 1
    return received


def deliveries(session: Session) -> list[Delivery]:
    session.expire_all()
    return list(session.exec(select(Delivery).order_by(col(Delivery.id))))


def test_an_smtp_outage_resolves_without_a_person(engine: Engine, session: Session) -> None:
    queue(session, invent_pocs(session, 10))
    sink = SmtpSink()
    sink.start()
    sink.stop()  # the relay is down: nothing listens on its port
    try:
        sender = SmtpSender(SmtpConfig.from_url(sink.url()), MAIL_FROM, None)

        def dispatcher(at: timedelta) -> Dispatcher:
            return Dispatcher(engine=engine, email=sender, telegram=None, owner="outage",
                              clock=lambda: NOW + at)

        during = asyncio.run(dispatcher(timedelta(0)).run_once())
        assert during.retried == 10
        rows = deliveries(session)
        assert {row.state for row in rows} == {DeliveryState.RETRY}
        assert {row.last_error for row in rows} == {
            "SMTP server unreachable: connection refused"}
        assert all(row.next_attempt_at > NOW for row in rows)

        sink.restart()
        after = asyncio.run(dispatcher(timedelta(hours=2)).run_once())
        assert after.sent == 10
        rows = deliveries(session)
        assert {row.state for row in rows} == {DeliveryState.SENT}
        assert delivery_ids_received(sink.messages) == Counter(
            {row.id: 1 for row in rows if row.id is not None})
    finally:
        sink.stop()
