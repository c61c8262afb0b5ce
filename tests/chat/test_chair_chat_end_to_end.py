"""End to end: the reply bot long-polls the fake Bot API (python-telegram-bot's real
Application and HTTP stack); staff draft and approve the Chair's message in the chat, the
release tick and the dispatcher send it (Telegram through the same fake), and the Point of
Contact receives exactly the Telegram message the drafter previewed. Then /chair status
shows a failed e-mail, cancel is refused, and "Retry failed" sends it again. Both backends.
"""

import asyncio

from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.channels.contract import OutgoingEmail, OutgoingTelegram, SendResult
from bot.channels.telegram import TelegramSender
from bot.chat.chair.calls import say
from bot.delivery.dispatcher import Dispatcher
from scheduler.chair_tick import release_and_settle
from storage import chair
from storage.chair import ChairState
from storage.outbox import Delivery, DeliveryState
from tests.support.chair import NOW, add_poc
from tests.support.chair_chat import DRAFTER, SECOND, add_staff, button_data
from tests.support.chat import Clock, staff_bot, until
from tests.support.fake_bot_api import FakeBotApi, ReceivedMessage
from tests.support.outbox import ScriptedSender

CLAIRE_CHAT = 41
BODY = "Dear colleagues, the Committee thanks you."


async def answers(api: FakeBotApi, chat_id: int, before: int, count: int
                  ) -> list[ReceivedMessage]:
    """Wait for `count` new messages to the chat after the first `before`."""
    await until(lambda: len(api.messages_to(chat_id)) >= before + count)
    await asyncio.sleep(0.05)  # one more would show here
    new = api.messages_to(chat_id)[before:]
    assert len(new) == count, [m.text for m in new]
    return new


async def typed(api: FakeBotApi, user_id: int, text: str, count: int = 1,
                entities: list[dict[str, object]] | None = None) -> list[ReceivedMessage]:
    before = len(api.messages_to(user_id))
    api.send_text(chat_id=user_id, user_id=user_id, text=text, entities=entities)
    return await answers(api, user_id, before, count)


async def pressed(api: FakeBotApi, user_id: int, message: ReceivedMessage, label: str,
                  count: int = 1) -> list[ReceivedMessage]:
    before = len(api.messages_to(user_id))
    api.press_button(chat_id=user_id, from_user_id=user_id, message_id=message.message_id,
                     data=button_data(message, label))
    return await answers(api, user_id, before, count)


def email_refused_once() -> ScriptedSender:
    """An SMTP server that refuses the first e-mail, then takes everything."""
    refused: list[int] = []

    def answer(item: OutgoingEmail | OutgoingTelegram) -> SendResult:
        if not refused:
            refused.append(item.delivery_id)
            return SendResult.permanent("550 mailbox unavailable")
        return SendResult.sent()

    return ScriptedSender(answer=answer)


async def test_drafted_approved_sent_reported_and_retried_from_the_chat(
    api: FakeBotApi, engine: Engine, session: Session
) -> None:
    add_staff(session)
    add_poc(session, "FRA", "Claire Invented", email="claire@example.org", chat_id=CLAIRE_CHAT)
    clock = Clock()
    assert clock.now == NOW
    email = email_refused_once()
    dispatcher = Dispatcher(engine=engine, email=email,
                            telegram=TelegramSender(FakeBotApi.TOKEN, api.base_url),
                            owner="test", clock=clock)
    async with staff_bot(api, engine, clock):
        [choice] = await typed(api, DRAFTER, "/chair new")
        await pressed(api, DRAFTER, choice, "English (en)")
        await typed(api, DRAFTER, "The Chair's message")
        [more] = await typed(api, DRAFTER, BODY, entities=[
            {"type": "bold", "offset": BODY.index("colleagues"), "length": len("colleagues")}])
        _, _, preview, _ = await pressed(api, DRAFTER, more, "Done", count=4)
        assert len(api.uploads_to(DRAFTER)) == 2
        with Session(engine) as fresh:
            [message] = chair.listing(session=fresh)
        message_id = message.id
        assert message_id is not None
        await typed(api, DRAFTER, f"/chair schedule {message_id} now")
        *_, table = await typed(api, SECOND, f"/chair preview {message_id}", count=3)
        [approved] = await pressed(api, SECOND, table, "Approve")
        assert approved.text == (f"Message {message_id} is approved. It goes out as soon as "
                                 "it is approved.")

        with Session(engine) as tick:
            report = release_and_settle(session=tick, now=clock.now)
        assert [r.message_id for r in report.released] == [message_id]
        stats = await dispatcher.run_once()
        assert (stats.sent, stats.failed) == (1, 1)
        [received] = api.messages_to(CLAIRE_CHAT)
        assert received.text == preview.text  # exactly what the drafter saw
        assert "Dear <b>colleagues</b>" in received.text

        [status] = await typed(api, DRAFTER, f"/chair status {message_id}")
        assert f"<b>Message {message_id}</b>: sending." in status.text
        assert "• E-mail, English: 0 sent, 0 waiting, 0 retrying, 1 failed, 0 uncertain" in (
            status.text)
        assert "• Telegram, English: 1 sent, 0 waiting, 0 retrying, 0 failed" in status.text
        assert "FRA, E-mail, English: failed — 550 mailbox unavailable" in status.text
        assert "claire" not in status.text.lower()
        assert button_data(status, "Retry failed") == f"chair:retry:{message_id}"
        [refused] = await typed(api, SECOND, f"/chair cancel {message_id}")
        assert refused.text == (f"Message {message_id} cannot be cancelled: its first "
                                "deliveries have already left.")

        [retried] = await pressed(api, DRAFTER, status, "Retry failed")
        assert retried.text == say("retried", message_id=message_id, count=1)
        assert (await dispatcher.run_once()).sent == 1
        with Session(engine) as tick:
            assert release_and_settle(session=tick, now=clock.now).settled == [message_id]
        [done] = await typed(api, DRAFTER, f"/chair status {message_id}")
        assert f"<b>Message {message_id}</b>: sent." in done.text
        assert "E-mail, English: 1 sent" in done.text and done.reply_markup is None
        [listed] = await typed(api, DRAFTER, "/chair list")
        assert listed.text.startswith(f"<b>{message_id}</b> · sent · sent 2026-11-27 09:00")
    assert len(api.messages_to(CLAIRE_CHAT)) == 1  # never twice
    with Session(engine) as fresh:
        assert {d.state for d in fresh.exec(select(Delivery))} == {DeliveryState.SENT}
        assert chair.get(session=fresh, message_id=message_id).state == ChairState.SENT
