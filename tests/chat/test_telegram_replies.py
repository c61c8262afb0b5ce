"""A PoC answers a reminder with a Telegram button; the reply bot records it and says thanks.

The bot runs python-telegram-bot's real Application (long polling) against the fake Bot API,
in the test's own event loop; the answers land in the test's database (SQLite, PostgreSQL).
"""

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from bot.channels.contract import Outcome, OutgoingTelegram
from bot.channels.telegram import TelegramSender
from bot.chat.app import build_application, run_bot
from bot.delivery.answer_kinds import REPLY, buttons, expired, not_yours, parse_callback, thanks
from storage import outbox
from storage.outbox import Channel, Delivery
from storage.reminders import REPLY_LINK_DAYS, SNOOZE_DAYS, PocReply, ReplyAnswer
from tests.support.fake_bot_api import EditedMarkup, FakeBotApi
from tests.support.outbox import NOW, add_poc

CHAT = 424242
STRANGER = 777001
LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    with FakeBotApi() as fake:
        yield fake


async def until(condition: Callable[[], bool], seconds: float = 60.0) -> None:
    deadline = asyncio.get_running_loop().time() + seconds
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "timed out waiting"
        await asyncio.sleep(0.01)


@asynccontextmanager
async def reply_bot(api: FakeBotApi, engine: Engine, now: datetime = NOW,
                    reply_link_days: int = REPLY_LINK_DAYS) -> AsyncIterator[None]:
    """The reply bot polling the fake until the block ends (then it stops cleanly), its
    clock at `now`."""
    application = build_application(FakeBotApi.TOKEN, api.base_url, engine, clock=lambda: now,
                                    reply_link_days=reply_link_days)
    stop = asyncio.Event()
    task = asyncio.create_task(run_bot(application, stop))
    await until(lambda: "getUpdates" in api.calls or task.done())
    if task.done():
        await task  # it failed to start: raise why
    try:
        yield
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=60)


async def press(api: FakeBotApi, data: str, chat_id: int = CHAT, message_id: int = 1) -> str:
    """Press a button and wait for the bot's answer; the text the person saw."""
    before = len(api.callback_answers)
    api.press_button(chat_id=chat_id, from_user_id=chat_id, message_id=message_id, data=data)
    await until(lambda: len(api.callback_answers) > before)
    answer = api.callback_answers[-1]
    assert answer.data == data and answer.chat_id == chat_id
    assert answer.text is not None
    return answer.text


def reminder_delivery(session: Session, poc_id: int, kind: str = "reminder") -> int:
    """A message to the PoC (a reminder unless told) and its Telegram delivery's id."""
    audience = outbox.audience_of(session=session, poc_ids=[poc_id])
    message = outbox.enqueue(
        session=session, kind=kind, template="contact_check", context={}, audience="test",
        recipients=[r for r in audience.recipients if r.channel == Channel.TELEGRAM],
        created_by="test", now=NOW)
    delivery = session.exec(select(Delivery).where(Delivery.message_id == message.id)).one()
    session.commit()
    assert delivery.id is not None
    return delivery.id


def replies(engine: Engine) -> list[PocReply]:
    with Session(engine) as fresh:
        return list(fresh.exec(select(PocReply).order_by(col(PocReply.id))))


# -- the buttons ------------------------------------------------------------------------


async def test_buttons_go_out_as_an_inline_keyboard_one_a_row_even_after_a_migration(
    api: FakeBotApi,
) -> None:
    labelled = buttons(REPLY, 5, "fr")
    keyboard = {"inline_keyboard": [[{"text": label, "callback_data": data}]
                                    for label, data in labelled]}
    api.migrate_chat(-4001, -1000000004001)
    async with TelegramSender(FakeBotApi.TOKEN, api.base_url) as sender:
        first = await sender.send(OutgoingTelegram(5, CHAT, "Rappel", buttons=labelled))
        moved = await sender.send(OutgoingTelegram(6, -4001, "Rappel", buttons=labelled))
        plain = await sender.send(OutgoingTelegram(7, STRANGER, "Message"))
    assert first.outcome == moved.outcome == plain.outcome == Outcome.SENT
    assert moved.migrated_to_chat_id == -1000000004001
    [to_poc] = api.messages_to(CHAT)
    [to_supergroup] = api.messages_to(-1000000004001)
    [without] = api.messages_to(STRANGER)
    assert to_poc.reply_markup == keyboard
    assert to_supergroup.reply_markup == keyboard
    assert without.reply_markup is None


def test_labels_are_in_the_pocs_language_with_short_callback_data() -> None:
    assert buttons(REPLY, 7, "ar") == (
        ("تم الاستلام", "r:7:received"),
        ("التقرير قيد الإعداد: يرجى التذكير بعد 30 يوماً", "r:7:snooze"),
        ("لست جهة الاتصال المعنية", "r:7:wrong_contact"),
    )
    assert [label for label, _ in buttons(REPLY, 7, "xx")] == [
        "Received", "Report in preparation: remind me in 30 days", "I am not the right contact"]
    assert all(len(data.encode()) <= 64 for _, data in buttons(REPLY, 10**17, "en"))
    labels = {language: buttons(REPLY, 1, language) for language in LANGUAGES}
    assert len({buttons for buttons in labels.values()}) == len(LANGUAGES)  # all translated
    assert "联络点" in labels["zh"][2][0] and "point de contact" in labels["fr"][2][0]
    assert "punto de contacto" in labels["es"][2][0] and "контактным пунктом" in labels["ru"][2][0]


def test_callback_data_parses_back_and_anything_else_is_refused() -> None:
    assert parse_callback("r:7:received") == (REPLY, 7, "received")
    assert parse_callback("r:12:snooze") == (REPLY, 12, "snooze")
    assert parse_callback("r:3:wrong_contact") == (REPLY, 3, "wrong_contact")
    for junk in ("", "r:7:later", "r::snooze", "r:-1:snooze", "r:0:snooze", "r:7:snooze\n",
                 "x:7:snooze", "r:٣:snooze", "r:" + "9" * 40 + ":snooze"):
        assert parse_callback(junk) is None, junk


def test_every_acknowledgement_fits_a_callback_answer_in_every_language() -> None:
    until = (NOW + timedelta(days=SNOOZE_DAYS)).date()
    english = [thanks(REPLY, answer, "en", until.isoformat()) for answer in ReplyAnswer]
    english.append(not_yours())
    for language in LANGUAGES:
        texts = [thanks(REPLY, answer, language, until.isoformat()) for answer in ReplyAnswer]
        texts.append(not_yours(REPLY, language))
        assert all(0 < len(text) <= 200 for text in texts), language
        assert "\n" not in "".join(texts) and "{" not in "".join(texts)
        if language != "en":
            assert not set(texts) & set(english), language
    assert thanks(REPLY, ReplyAnswer.SNOOZE, "fr", until.isoformat()) == (
        "Merci ; nous vous écrirons de nouveau après le 27 décembre 2026.")
    assert thanks(REPLY, ReplyAnswer.WRONG_CONTACT, "en") == (
        "Thank you; the secretariat has been informed.")


# -- the reply bot ----------------------------------------------------------------------


async def test_received_from_the_pocs_chat_is_recorded_thanked_in_french_and_buttons_removed(
    api: FakeBotApi, engine: Engine, session: Session, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.chat.answers")
    poc = add_poc(session, "FRA", "Claire Martin-Test", chat_id=CHAT, language="fr")
    delivery = reminder_delivery(session, poc)
    async with TelegramSender(FakeBotApi.TOKEN, api.base_url) as sender:
        await sender.send(OutgoingTelegram(delivery, CHAT, "Rappel",
                                           buttons=buttons(REPLY, delivery, "fr")))
    [sent] = api.messages
    async with reply_bot(api, engine):
        text = await press(api, f"r:{delivery}:received", message_id=sent.message_id)
        await until(lambda: len(api.edited_markups) == 1)
    assert text == "Merci ; votre accusé de réception a été enregistré."
    assert api.edited_markups == [EditedMarkup(CHAT, sent.message_id, reply_markup=None)]
    [reply] = replies(engine)
    assert (reply.poc_id, reply.answer, reply.channel) == (poc, "received", "telegram")
    assert reply.snooze_until is None and reply.at == NOW
    assert api.pending_updates == 0  # the bot confirmed what it handled
    ours = " ".join(r.getMessage() for r in caplog.records if r.name == "bot.chat.answers")
    assert f"delivery {delivery}: received recorded" in ours
    assert str(CHAT) not in ours and "Claire" not in ours


async def test_snooze_is_recorded_until_thirty_days_later_and_says_when(
    api: FakeBotApi, engine: Engine, session: Session
) -> None:
    poc = add_poc(session, "FRA", "Claire Martin-Test", chat_id=CHAT, language="fr")
    delivery = reminder_delivery(session, poc)
    async with reply_bot(api, engine):
        text = await press(api, f"r:{delivery}:snooze")
    assert text == "Merci ; nous vous écrirons de nouveau après le 27 décembre 2026."
    [reply] = replies(engine)
    assert reply.answer == ReplyAnswer.SNOOZE
    assert reply.snooze_until == NOW + timedelta(days=SNOOZE_DAYS)


async def test_wrong_contact_is_recorded_and_the_secretariat_said_to_be_informed(
    api: FakeBotApi, engine: Engine, session: Session
) -> None:
    poc = add_poc(session, "RUS", "Ivan Petrov-Test", chat_id=CHAT, language="ru")
    delivery = reminder_delivery(session, poc)
    async with reply_bot(api, engine):
        text = await press(api, f"r:{delivery}:wrong_contact")
    assert text == "Спасибо, секретариат проинформирован."
    assert [r.answer for r in replies(engine)] == [ReplyAnswer.WRONG_CONTACT]


async def test_a_press_from_another_chat_or_for_no_reminder_records_nothing(
    api: FakeBotApi, engine: Engine, session: Session
) -> None:
    poc = add_poc(session, "FRA", "Claire Martin-Test", chat_id=CHAT, language="fr")
    delivery = reminder_delivery(session, poc)
    one_off = reminder_delivery(session, poc, kind="one_off")
    async with reply_bot(api, engine):
        from_stranger = await press(api, f"r:{delivery}:received", chat_id=STRANGER)
        unknown = await press(api, "r:999:received")
        not_a_reminder = await press(api, f"r:{one_off}:snooze")
    assert from_stranger == unknown == not_a_reminder == not_yours()
    assert not_yours() == "We apologize: this button is not intended for this chat."
    assert replies(engine) == []
    assert api.edited_markups == []  # the PoC's buttons stay


async def test_a_message_already_without_buttons_does_not_stop_the_bot(
    api: FakeBotApi, engine: Engine, session: Session
) -> None:
    poc = add_poc(session, "CHN", "Li Wei-Test", chat_id=CHAT, language="zh")
    delivery = reminder_delivery(session, poc)
    api.refuse_next_edit()  # "message is not modified"
    async with reply_bot(api, engine):
        first = await press(api, f"r:{delivery}:received")
        second = await press(api, f"r:{delivery}:snooze")
        await until(lambda: len(api.edited_markups) == 1)
    assert first == "谢谢，您的确认已记录在案。"  # noqa: RUF001 (Chinese punctuation)
    assert second == "谢谢，我们将在2026年12月27日之后再与您联系。"  # noqa: RUF001
    assert [r.answer for r in replies(engine)] == [ReplyAnswer.RECEIVED, ReplyAnswer.SNOOZE]


async def test_the_same_button_pressed_again_is_one_answer_thanked_alike(
    api: FakeBotApi, engine: Engine, session: Session
) -> None:
    poc = add_poc(session, "FRA", "Claire Martin-Test", chat_id=CHAT, language="fr")
    delivery = reminder_delivery(session, poc)
    async with reply_bot(api, engine):
        first = await press(api, f"r:{delivery}:snooze")
    async with reply_bot(api, engine, now=NOW + timedelta(days=20)):
        again = await press(api, f"r:{delivery}:snooze")  # e.g. from a copy of the message
    assert first == again == "Merci ; nous vous écrirons de nouveau après le 27 décembre 2026."
    [reply] = replies(engine)
    assert reply.snooze_until == NOW + timedelta(days=SNOOZE_DAYS)


async def test_a_button_of_an_expired_reminder_records_nothing_and_says_so_in_the_pocs_language(
    api: FakeBotApi, engine: Engine, session: Session
) -> None:
    poc = add_poc(session, "ESP", "Lucía García-Test", chat_id=CHAT, language="es")
    delivery = reminder_delivery(session, poc)
    async with reply_bot(api, engine, now=NOW + timedelta(days=31), reply_link_days=30):
        text = await press(api, f"r:{delivery}:snooze")
        await until(lambda: len(api.edited_markups) == 1)  # the dead buttons go
    assert text == expired(REPLY, "es") and "caducado" not in expired(REPLY, "en")
    assert "no se ha modificado nada" in text
    assert replies(engine) == []
    for language in LANGUAGES:
        assert 0 < len(expired(REPLY, language)) <= 200
    assert len({expired(REPLY, language) for language in LANGUAGES}) == len(LANGUAGES)
