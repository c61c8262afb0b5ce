"""The dispatcher's window (OUTREACH_MAIL_WINDOW): K e-mails marked `sending` together, sent at
once, their outcomes recorded together; every guarantee of the one-at-a-time ledger kept.
(Crashes in the middle of a window: tests/e2e/test_delivery_crashes.py.)"""

import asyncio
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from pydantic import SecretStr
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from bot.channels.contract import OutgoingEmail, OutgoingTelegram, SendResult, UncertainDelivery
from bot.channels.email.pool import SmtpPool
from bot.delivery.dispatcher import Dispatcher
from bot.main import AppContext, build_dispatcher
from bot.render.messages import render_message
from bot.settings import Settings
from storage import outbox, outbox_window, pocs
from storage.outbox import Delivery, DeliveryState
from tests.support.outbox import NOW, ScriptedSender, add_poc, invent_pocs, queue

LEASE = timedelta(minutes=10)


def by_id(session: Session) -> dict[int, Delivery]:
    session.expire_all()
    return {d.id or 0: d for d in session.exec(select(Delivery).order_by(col(Delivery.id)))}


@dataclass
class WatchingSender(ScriptedSender):
    """Notes, as each message is handed over, how many are in flight and how many rows the
    ledger holds `sending` (read on a connection of its own, as another process would)."""

    engine: Engine | None = None
    in_flight: int = 0
    most_in_flight: int = 0
    sending_seen: list[int] = field(default_factory=list)

    async def send(self, item: OutgoingEmail | OutgoingTelegram) -> SendResult:
        assert self.engine is not None
        with Session(self.engine) as other:
            self.sending_seen.append(len(other.exec(
                select(Delivery.id).where(Delivery.state == DeliveryState.SENDING)).all()))
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        await asyncio.sleep(0)  # hand over to the window's other sends
        await asyncio.sleep(0)
        self.in_flight -= 1
        return await super().send(item)


def test_a_window_is_marked_sending_together_and_sent_at_once(
    engine: Engine, session: Session
) -> None:
    queue(session, invent_pocs(session, 10))
    email = WatchingSender(engine=engine)
    dispatcher = Dispatcher(engine=engine, email=email, telegram=None, owner="test-1",
                            clock=lambda: NOW, window=4)

    stats = asyncio.run(dispatcher.run_once())

    assert stats.sent == 10
    assert email.most_in_flight == 4
    # each message left with exactly its own window `sending`, committed: 4, 4, then 2
    assert email.sending_seen == [4] * 8 + [2] * 2
    rows = by_id(session)
    assert {row.state for row in rows.values()} == {DeliveryState.SENT}
    assert all(row.attempts == 1 and row.lease_owner is None for row in rows.values())
    assert sorted(row.external_id or "" for row in rows.values()) == sorted(
        f"ext-{i}" for i in rows)


def test_each_outcome_of_a_window_is_recorded_for_its_own_delivery(
    engine: Engine, session: Session
) -> None:
    queue(session, invent_pocs(session, 4))

    def answer(item: OutgoingEmail | OutgoingTelegram) -> SendResult:
        if item.delivery_id == 2:
            return SendResult.transient("421 try later")
        if item.delivery_id == 3:
            return SendResult.permanent("550 no such user")
        if item.delivery_id == 4:
            raise UncertainDelivery("connection lost after the message was handed over")
        return SendResult.sent(external_id="Q1")

    email = ScriptedSender(answer=answer)
    stats = asyncio.run(Dispatcher(engine=engine, email=email, telegram=None, owner="test-1",
                                   clock=lambda: NOW, window=4).run_once())

    assert (stats.sent, stats.retried, stats.failed, stats.uncertain) == (1, 1, 1, 1)
    rows = by_id(session)
    assert (rows[1].state, rows[1].external_id, rows[1].sent_at) == (
        DeliveryState.SENT, "Q1", NOW)
    assert (rows[2].state, rows[2].last_error) == (DeliveryState.RETRY, "421 try later")
    assert rows[2].next_attempt_at > NOW
    assert (rows[3].state, rows[3].last_error) == (DeliveryState.FAILED, "550 no such user")
    assert rows[4].state == DeliveryState.UNCERTAIN
    assert rows[4].last_error.startswith("connection lost after")
    assert all(row.lease_owner is None for row in rows.values())
    # the uncertain one is never sent again by the machine; the retry is, once due
    asyncio.run(Dispatcher(engine=engine, email=ScriptedSender(), telegram=None,
                           owner="test-2", clock=lambda: NOW + timedelta(days=1),
                           window=4).run_once())
    assert [row.state for row in by_id(session).values()] == [
        DeliveryState.SENT, DeliveryState.SENT, DeliveryState.FAILED, DeliveryState.UNCERTAIN]
    assert sorted(item.delivery_id for item in email.sent) == [1, 2, 3, 4]


def test_a_delivery_that_cannot_go_fails_without_holding_up_its_window(
    engine: Engine, session: Session
) -> None:
    ids = [add_poc(session, "FRA", "Claire Martin-Test", "claire@example.org"),
           add_poc(session, "KEN", "Wanjiru Otieno-Test", "w@example.org"),
           add_poc(session, "MAR", "Amina Test", "amina@example.org")]
    queue(session, ids)
    delivery = session.get(Delivery, 2)
    assert delivery is not None
    poc = session.get(pocs.PointOfContact, delivery.poc_id)  # unsubscribes before the dispatch
    assert poc is not None
    poc.email_opted_out_at = NOW
    session.add(poc)
    session.commit()
    email = ScriptedSender()
    stats = asyncio.run(Dispatcher(engine=engine, email=email, telegram=None, owner="test-1",
                                   clock=lambda: NOW, window=4).run_once())
    assert (stats.sent, stats.failed) == (2, 1)
    assert sorted(item.delivery_id for item in email.sent) == [1, 3]
    assert by_id(session)[2].last_error == "the Point of Contact unsubscribed from e-mail"


def test_a_window_never_sends_a_row_whose_lease_another_dispatcher_took(
    engine: Engine, session: Session
) -> None:
    queue(session, invent_pocs(session, 3))
    ids = outbox.claim(session=session, owner="slow", now=NOW, limit=10, lease=LEASE)
    later = NOW + LEASE + timedelta(minutes=1)  # the slow one's lease has run out
    taken = outbox.claim(session=session, owner="quick", now=later, limit=10, lease=LEASE)
    assert taken == ids

    marked = outbox_window.mark_window_sending(session=session, delivery_ids=ids,
                                               owner="slow", now=later, lease=LEASE)

    assert marked == set()  # the slow one must not send them
    assert {row.state for row in by_id(session).values()} == {DeliveryState.PENDING}
    assert outbox_window.mark_window_sending(session=session, delivery_ids=ids,
                                             owner="quick", now=later, lease=LEASE) == set(ids)


def test_only_the_owner_records_a_windows_outcomes_even_after_a_sweep(
    engine: Engine, session: Session
) -> None:
    queue(session, invent_pocs(session, 2))
    ids = outbox.claim(session=session, owner="mine", now=NOW, limit=10, lease=LEASE)
    outbox_window.mark_window_sending(session=session, delivery_ids=ids, owner="mine",
                                      now=NOW, lease=LEASE)
    assert outbox.sweep_abandoned(session=session, now=NOW + LEASE * 2) == 2
    outcomes = [outbox_window.RecordedOutcome(i, DeliveryState.SENT, "", NOW, f"Q{i}", NOW)
                for i in ids]

    assert outbox_window.record_outcomes(session=session, owner="other", now=NOW,
                                         outcomes=outcomes, commit=True) == 0
    assert {row.state for row in by_id(session).values()} == {DeliveryState.UNCERTAIN}
    assert outbox_window.record_outcomes(session=session, owner="mine", now=NOW,
                                         outcomes=outcomes, commit=True) == 2
    assert {row.state for row in by_id(session).values()} == {DeliveryState.SENT}


def test_the_service_sends_with_the_window_and_connections_of_its_settings(
    engine: Engine, tmp_path: Path
) -> None:
    settings = Settings(data_dir=tmp_path, mail_window=6,
                        smtp_url=SecretStr("smtps://u:p@mail.example.org"))
    built = build_dispatcher(AppContext(settings=settings, engine=engine, actor="test"))
    assert built.window == 6
    assert isinstance(built.email, SmtpPool) and len(built.email.lanes) == 6
    assert Settings(data_dir=tmp_path).mail_window == 4  # the default the README gives


def test_a_delivery_is_rendered_for_its_own_channel_only() -> None:
    context = {"poc": {"full_name": "Amina Diallo", "title": "", "emails": ["a@example.org"]},
               "party": {"code": "BHS", "name": "Bahamas"}, "message": {}}
    whole = render_message("contact_check", "fr", context, "https://x.example.org/u/1")
    email = render_message("contact_check", "fr", context, "https://x.example.org/u/1",
                           channel="email")
    telegram = render_message("contact_check", "fr", context, channel="telegram")
    assert (email.subject, email.text, email.html) == (whole.subject, whole.text, whole.html)
    assert email.telegram == ""
    assert telegram.telegram == render_message("contact_check", "fr", context).telegram
    assert telegram.text == telegram.html == ""
