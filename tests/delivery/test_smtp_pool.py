"""The SMTP connections of the dispatcher's window (bot/channels/email/pool.py), against a real
SMTP server on loopback: K messages at once go over K connections, never more; the rate cap
OUTREACH_MAIL_PER_MINUTE holds for the sending mailbox as a whole; a configuration error
stops the batch after one attempt, as with one connection."""

import asyncio
from collections.abc import Callable

import pytest

from bot.channels.contract import Outcome
from bot.channels.email.config import SmtpConfig
from bot.channels.email.pool import SmtpPool
from bot.channels.pacing import Pacer
from tests.support.mail import FROM, PASSWORD, REPLY_TO, USER, email_for
from tests.support.smtp_sink import SmtpSink


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


def pool_for(sink: SmtpSink, connections: int, url: str | None = None,
             pacer: Pacer | None = None) -> SmtpPool:
    return SmtpPool(SmtpConfig.from_url(url or sink.url()), FROM, REPLY_TO,
                    connections=connections, pacer=pacer, local_hostname="outreach.test")


async def test_a_window_of_messages_goes_over_as_many_connections_and_no_more(
    make_sink: Callable[..., SmtpSink],
) -> None:
    sink = make_sink()
    pool = pool_for(sink, connections=4)
    async with pool:
        first = await asyncio.gather(*(pool.send(email_for(i)) for i in range(1, 5)))
        later = await asyncio.gather(*(pool.send(email_for(i)) for i in range(5, 17)))
    assert [r.outcome for r in [*first, *later]] == [Outcome.SENT] * 16
    assert sink.connections == 4  # reused window after window
    ids = sorted(str(m.parsed()["Message-ID"]) for m in sink.messages)
    assert ids == sorted(f"<delivery-{i}.message-7@outreach.example.org>" for i in range(1, 17))


async def test_one_message_at_a_time_opens_one_connection(
    make_sink: Callable[..., SmtpSink],
) -> None:
    sink = make_sink()
    pool = pool_for(sink, connections=4)
    async with pool:
        results = [await pool.send(email_for(i)) for i in range(1, 6)]
    assert [r.outcome for r in results] == [Outcome.SENT] * 5
    assert sink.connections == 1


async def test_the_rate_cap_is_for_the_mailbox_not_for_each_connection(
    make_sink: Callable[..., SmtpSink],
) -> None:
    """31 messages at 30 a minute take a minute over 4 connections too, not a quarter."""
    sink = make_sink()
    time = FakeTime()
    pool = pool_for(sink, connections=4,
                    pacer=Pacer(per_second=30 / 60, clock=time.clock, sleep=time.sleep))
    async with pool:
        results = await asyncio.gather(*(pool.send(email_for(100 + i)) for i in range(31)))
    assert all(r.outcome is Outcome.SENT for r in results)
    assert time.now == pytest.approx(60.0)
    assert len(sink.messages) == 31


async def test_a_wrong_password_fails_the_batch_after_one_attempt(
    make_sink: Callable[..., SmtpSink],
) -> None:
    sink = make_sink(user=USER, password=PASSWORD)
    pool = pool_for(sink, connections=4, url=sink.url(password="not-the-password"))
    async with pool:
        results = [await pool.send(email_for(i)) for i in (7, 8, 9)]
    assert [r.outcome for r in results] == [Outcome.PERMANENT] * 3
    assert all(r.reason.startswith("SMTP authentication failed") for r in results)
    assert sink.connections == 1  # the other connections do not try the password again
    assert sink.messages == []


async def test_the_pool_refuses_to_send_outside_a_batch(
    make_sink: Callable[..., SmtpSink],
) -> None:
    pool = pool_for(make_sink(), connections=2)
    with pytest.raises(RuntimeError, match="async with"):
        await pool.send(email_for(1))
