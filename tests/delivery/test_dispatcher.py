"""The dispatcher's ledger: every delivery ends sent, retry, failed or uncertain, visibly."""

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from bot.channels.contract import OutgoingEmail, OutgoingTelegram, SendResult, UncertainDelivery
from bot.delivery.dispatcher import Dispatcher
from storage import outbox, pocs
from storage.audit import AuditEntry
from storage.outbox import Delivery, DeliveryState
from tests.support.outbox import NOW, ScriptedSender, add_poc, queue


def states(session: Session) -> list[str]:
    session.expire_all()
    return [d.state for d in session.exec(select(Delivery).order_by(col(Delivery.id)))]


def dispatcher(engine: Engine, email: ScriptedSender, telegram: ScriptedSender | None = None,
               owner: str = "test-1", at: timedelta = timedelta(0)) -> Dispatcher:
    return Dispatcher(engine=engine, email=email, telegram=telegram, owner=owner,
                      clock=lambda: NOW + at)


def test_a_message_reaches_each_poc_once_per_channel(engine: Engine, session: Session) -> None:
    ids = [add_poc(session, "FRA", "Claire Martin-Test", "claire@example.org", chat_id=111),
           add_poc(session, "KEN", "Wanjiru Otieno-Test", "w@example.org")]
    queue(session, ids)
    email, telegram = ScriptedSender(), ScriptedSender()
    stats = asyncio.run(dispatcher(engine, email, telegram).run_once())
    assert stats.sent == 3
    assert states(session) == ["sent", "sent", "sent"]
    assert sorted(item.delivery_id for item in email.sent) == [1, 3]
    assert [item.delivery_id for item in telegram.sent] == [2]
    assert email.batches == 1  # one connection for the batch
    again = asyncio.run(dispatcher(engine, email, telegram).run_once())
    assert again.sent == 0 and len(email.sent) == 2


def test_the_text_is_in_the_pocs_language_and_escaped_for_telegram(
    engine: Engine, session: Session
) -> None:
    poc = add_poc(session, "MAR", "Amina <b>Test</b>", "amina@example.org", chat_id=5,
                  language="ar")
    queue(session, [poc])
    email, telegram = ScriptedSender(), ScriptedSender()
    asyncio.run(dispatcher(engine, email, telegram).run_once())
    [mail] = email.sent
    assert isinstance(mail, OutgoingEmail)
    assert mail.language == "ar"
    assert 'dir="rtl"' in mail.html
    assert "لجنة 1540" in mail.subject
    assert mail.message_id.startswith("<delivery-1.message-1@")
    [chat] = telegram.sent
    assert isinstance(chat, OutgoingTelegram)
    assert "Amina &lt;b&gt;Test&lt;/b&gt;" in chat.html


def test_a_transient_failure_is_retried_later_then_given_up_visibly(
    engine: Engine, session: Session
) -> None:
    queue(session, [add_poc(session, "FRA", "Claire Martin-Test", "claire@example.org")])
    flaky = ScriptedSender(answer=lambda item: SendResult.transient("421 try later"))
    first = dispatcher(engine, flaky)
    first.max_attempts = 3
    asyncio.run(first.run_once())
    session.expire_all()
    delivery = session.exec(select(Delivery)).one()
    assert delivery.state == DeliveryState.RETRY
    assert delivery.last_error == "421 try later"
    assert delivery.next_attempt_at >= NOW + timedelta(seconds=15)
    assert asyncio.run(first.run_once()).retried == 0  # not due yet: nothing is hammered
    for hours in (1, 2):
        later = dispatcher(engine, flaky, at=timedelta(hours=hours))
        later.max_attempts = 3
        asyncio.run(later.run_once())
    session.expire_all()
    delivery = session.exec(select(Delivery)).one()
    assert delivery.state == DeliveryState.FAILED
    assert delivery.last_error == "gave up after 3 attempts: 421 try later"
    assert len(flaky.sent) == 3


def test_a_permanent_failure_fails_at_once_with_its_reason(
    engine: Engine, session: Session
) -> None:
    queue(session, [add_poc(session, "FRA", "Claire Martin-Test", "claire@example.org")])
    refusing = ScriptedSender(answer=lambda item: SendResult.permanent("550 no such user"))
    assert asyncio.run(dispatcher(engine, refusing).run_once()).failed == 1
    assert states(session) == ["failed"]
    assert session.exec(select(Delivery)).one().last_error == "550 no such user"


def test_an_uncertain_send_is_never_retried_by_the_machine(
    engine: Engine, session: Session
) -> None:
    queue(session, [add_poc(session, "FRA", "Claire Martin-Test", "claire@example.org")])

    def timeout(item: OutgoingEmail | OutgoingTelegram) -> SendResult:
        raise UncertainDelivery("connection lost after the message was handed over")

    sender = ScriptedSender(answer=timeout)
    assert asyncio.run(dispatcher(engine, sender).run_once()).uncertain == 1
    asyncio.run(dispatcher(engine, sender, at=timedelta(days=3)).run_once())
    assert states(session) == ["uncertain"] and len(sender.sent) == 1


def test_a_delivery_left_sending_by_a_dead_process_becomes_uncertain(
    engine: Engine, session: Session
) -> None:
    queue(session, [add_poc(session, "FRA", "Claire Martin-Test", "claire@example.org")])
    ids = outbox.claim(session=session, owner="dead", now=NOW, limit=10,
                       lease=timedelta(minutes=10))
    assert outbox.mark_sending(session=session, delivery_id=ids[0], owner="dead", now=NOW,
                               lease=timedelta(minutes=10))
    sender = ScriptedSender()
    asyncio.run(dispatcher(engine, sender, at=timedelta(minutes=5)).run_once())
    assert states(session) == ["sending"]  # the lease still runs: it may be working
    stats = asyncio.run(dispatcher(engine, sender, at=timedelta(minutes=11)).run_once())
    assert stats.swept_to_uncertain == 1
    assert states(session) == ["uncertain"] and sender.sent == []


def test_a_claim_abandoned_before_sending_is_sent_after_its_lease(
    engine: Engine, session: Session
) -> None:
    queue(session, [add_poc(session, "FRA", "Claire Martin-Test", "claire@example.org")])
    outbox.claim(session=session, owner="dead", now=NOW, limit=10, lease=timedelta(minutes=10))
    sender = ScriptedSender()
    assert asyncio.run(dispatcher(engine, sender).run_once()).sent == 0
    assert asyncio.run(dispatcher(engine, sender, at=timedelta(minutes=11)).run_once()).sent == 1


def test_resend_is_a_persons_decision_and_is_audited(engine: Engine, session: Session) -> None:
    queue(session, [add_poc(session, "FRA", "Claire Martin-Test", "claire@example.org"),
                    add_poc(session, "KEN", "Wanjiru Otieno-Test", "w@example.org")])
    refusing = ScriptedSender(answer=lambda item: SendResult.permanent("550 mailbox full"))
    asyncio.run(dispatcher(engine, refusing).run_once())
    assert outbox.resend(session=session, delivery_ids=[1, 99], actor="cli:staff",
                         now=NOW) == [1]
    sender = ScriptedSender()
    asyncio.run(dispatcher(engine, sender, at=timedelta(minutes=1)).run_once())
    assert states(session) == ["sent", "failed"]
    entry = session.exec(select(AuditEntry).where(AuditEntry.action == "resend")).one()
    assert entry.actor == "cli:staff" and entry.before == {"state": "failed",
                                                           "last_error": "550 mailbox full"}


def test_a_poc_deactivated_or_unsubscribed_after_queueing_gets_nothing(
    engine: Engine, session: Session
) -> None:
    gone = add_poc(session, "FRA", "Claire Martin-Test", "claire@example.org")
    opted = add_poc(session, "KEN", "Wanjiru Otieno-Test", "w@example.org")
    queue(session, [gone, opted])
    poc = pocs.get(session=session, poc_id=gone)
    assert poc is not None
    fields = replace(pocs.fields_of(session=session, poc=poc), status="inactive")
    pocs.update(session=session, poc=poc, actor="test", fields=fields, now=NOW)
    pocs.opt_out_of_email(session=session, poc_id=opted, actor="poc", now=NOW)
    session.commit()
    sender = ScriptedSender()
    assert asyncio.run(dispatcher(engine, sender).run_once()).failed == 2
    assert sender.sent == []
    reasons = sorted(d.last_error for d in session.exec(select(Delivery)))
    assert reasons == ["the Point of Contact unsubscribed from e-mail",
                       "the Point of Contact was deactivated"]


def test_telegram_answers_update_the_poc(engine: Engine, session: Session) -> None:
    moved = add_poc(session, "FRA", "Claire Martin-Test", chat_id=-100)
    blocked = add_poc(session, "KEN", "Wanjiru Otieno-Test", chat_id=222)
    queue(session, [moved, blocked])

    def answer(item: OutgoingEmail | OutgoingTelegram) -> SendResult:
        assert isinstance(item, OutgoingTelegram)
        if item.chat_id == -100:
            return SendResult(outcome=SendResult.sent().outcome, migrated_to_chat_id=-1001)
        return SendResult.permanent("Forbidden: bot was blocked by the user",
                                    recipient_unreachable=True)

    asyncio.run(dispatcher(engine, ScriptedSender(), ScriptedSender(answer=answer)).run_once())
    session.expire_all()
    migrated = pocs.get(session=session, poc_id=moved)
    assert migrated is not None and migrated.telegram_chat_id == -1001
    unreachable = pocs.get(session=session, poc_id=blocked)
    assert unreachable is not None and unreachable.telegram_unreachable_at is not None
    assert outbox.audience_of(session=session, poc_ids=[blocked]).unreachable == [blocked]


def test_without_telegram_configured_telegram_deliveries_wait(
    engine: Engine, session: Session
) -> None:
    queue(session, [add_poc(session, "FRA", "Claire Martin-Test", "c@example.org", chat_id=7)])
    asyncio.run(dispatcher(engine, ScriptedSender(), telegram=None).run_once())
    assert states(session) == ["sent", "pending"]


def test_two_dispatchers_at_once_never_send_the_same_delivery(
    engine: Engine, session: Session
) -> None:
    ids = [add_poc(session, "FRA", f"Person {n}-Test", f"p{n}@example.org") for n in range(40)]
    queue(session, ids)
    one, two = ScriptedSender(), ScriptedSender()

    async def both() -> None:
        first = dispatcher(engine, one, owner="a")
        second = dispatcher(engine, two, owner="b")
        first.batch_size = second.batch_size = 5
        await asyncio.gather(first.run_once(), second.run_once())

    asyncio.run(both())
    sent = [item.delivery_id for item in one.sent + two.sent]
    assert sorted(sent) == list(range(1, 41))


def test_queueing_with_the_same_key_twice_adds_nothing(session: Session) -> None:
    poc = add_poc(session, "FRA", "Claire Martin-Test", "claire@example.org")
    first = queue(session, [poc], dedupe_key="policy-1/FRA/cycle-3")
    second = queue(session, [poc], dedupe_key="policy-1/FRA/cycle-3")
    assert first.id == second.id
    assert len(session.exec(select(Delivery)).all()) == 1


def test_a_reminder_retried_waits_for_the_pocs_working_hours(
    engine: Engine, session: Session
) -> None:
    poc = add_poc(session, "JPN", "Aiko Sato-Test", "aiko@example.org")
    stored = pocs.get(session=session, poc_id=poc)
    assert stored is not None
    stored.timezone = "Asia/Tokyo"  # NOW, Friday 14:00 UTC, is 23:00 in Tokyo
    session.add(stored)
    session.commit()
    audience = outbox.audience_of(session=session, poc_ids=[poc])
    outbox.enqueue(session=session, kind="reminder", template="reminder_first_report",
                   context={}, audience="test", recipients=audience.recipients,
                   created_by="test", now=NOW)
    session.commit()
    flaky = ScriptedSender(answer=lambda item: SendResult.transient("421 try later"))
    asyncio.run(dispatcher(engine, flaky).run_once())
    session.expire_all()
    delivery = session.exec(select(Delivery)).one()
    assert delivery.state == DeliveryState.RETRY
    assert delivery.next_attempt_at == datetime(2026, 11, 30, 0, 0, tzinfo=UTC)  # Mon 09:00
