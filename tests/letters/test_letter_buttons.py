"""A party answers a letter that expects a response with a Telegram button: the dispatcher
sends the letter (and later its reminder) with two buttons in the PoC's language; a press
from the PoC's chat records the party's response or promise (audited, once) and thanks
them; a press from any other chat or on an expired letter records nothing.
python-telegram-bot's real stack against the fake Bot API (as the reminders' and the
assistance follow-ups' reply specs), the answers in the test's database (both backends).
"""

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.channels.telegram import TelegramSender
from bot.delivery.answer_kinds import LETTER, buttons, expired, not_yours, parse_callback, thanks
from bot.delivery.dispatcher import Dispatcher, LinkSettings
from scheduler.sweep import sweep
from storage.letter_answers import LetterAnswer
from storage.letters import LetterResponse
from storage.outbox import Delivery, OutboxMessage
from storage.reminders import ReminderPolicy
from tests.support.chat import answer_bot as letter_bot
from tests.support.chat import press_answer, until
from tests.support.fake_bot_api import EditedMarkup, FakeBotApi
from tests.support.letters import SENT, write_letter
from tests.support.outbox import ScriptedSender

CHAT = 616161
STRANGER = 777003


async def press(api: FakeBotApi, data: str, chat_id: int = CHAT, message_id: int = 1) -> str:
    return await press_answer(api, data, chat_id, message_id)
LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    with FakeBotApi() as fake:
        yield fake


async def dispatch(engine: Engine, api: FakeBotApi, at: datetime) -> None:
    async with TelegramSender(FakeBotApi.TOKEN, api.base_url) as telegram:
        await Dispatcher(engine=engine, email=ScriptedSender(), telegram=telegram,
                         owner="test-1", clock=lambda: at, links=LinkSettings(
                             public_url="https://outreach.example.org", secret="s3")
                         ).run_once()


def telegram_delivery(session: Session, poc_id: int, kind: str) -> int:
    session.expire_all()
    return next(int(d.id or 0) for d, m in session.exec(
        select(Delivery, OutboxMessage).join(
            OutboxMessage, OutboxMessage.id == Delivery.message_id)  # type: ignore[arg-type]
        .where(Delivery.poc_id == poc_id, Delivery.channel == "telegram"))
        if m.kind == kind)


def stored(session: Session) -> list[tuple[int, str, str, date | None]]:
    session.expire_all()
    return [(r.party_id, r.kind, r.channel, r.promised_by)
            for r in session.exec(select(LetterResponse))]


def test_labels_are_in_the_pocs_language_with_short_callback_data() -> None:
    assert buttons(LETTER, 7, "fr") == (
        ("Notre réponse a été envoyée", "lt:7:responded"),
        ("Nous répondrons dans un délai de 30 jours", "lt:7:promise"),
    )
    assert all(len(data.encode()) <= 64 for _, data in buttons(LETTER, 10**17, "en"))
    labels = {language: buttons(LETTER, 1, language) for language in LANGUAGES}
    assert len(set(labels.values())) == len(LANGUAGES)
    for language in LANGUAGES:
        texts = [thanks(LETTER, LetterAnswer.RESPONDED, language, None),
                 thanks(LETTER, LetterAnswer.PROMISE, language, "2026-07-02"),
                 not_yours(LETTER, language),
                 expired(LETTER, language)]
        assert all(0 < len(text) <= 200 for text in texts), language
        assert "2026-07-02" in texts[1]


def test_callback_data_parses_back_and_anything_else_is_refused() -> None:
    assert parse_callback("lt:7:responded") == (LETTER, 7, LetterAnswer.RESPONDED)
    for junk in ("", "lt:7:received", "af:7:promise", "lt:0:promise", "lt::promise",
                 "lt:7:promise\n", "lt:" + "9" * 40 + ":promise"):
        assert parse_callback(junk) is None, junk


async def test_the_letter_carries_two_buttons_and_a_press_records_the_partys_answer_once(
    api: FakeBotApi, engine: Engine, session: Session
) -> None:
    written = write_letter(session, chat_ids={"OPCW": CHAT}, language="fr")
    await dispatch(engine, api, SENT)
    delivery = telegram_delivery(session, written.pocs["OPCW"], "one_off")
    [sent] = api.messages_to(CHAT)
    assert sent.reply_markup == {"inline_keyboard": [
        [{"text": label, "callback_data": data}]
        for label, data in buttons(LETTER, delivery, "fr")]}
    now = SENT + timedelta(days=10)
    async with letter_bot(api, engine, now=now):
        stranger = await press(api, f"lt:{delivery}:responded", chat_id=STRANGER)
        promise = await press(api, f"lt:{delivery}:promise", message_id=sent.message_id)
        await until(lambda: len(api.edited_markups) == 1)
        response = await press(api, f"lt:{delivery}:responded", message_id=sent.message_id)
        again = await press(api, f"lt:{delivery}:responded", message_id=sent.message_id)
    assert stranger == not_yours()
    assert promise == thanks(LETTER, LetterAnswer.PROMISE, "fr", "2026-07-12")
    assert response == again == thanks(LETTER, LetterAnswer.RESPONDED, "fr", None)
    assert api.edited_markups[0] == EditedMarkup(CHAT, sent.message_id, reply_markup=None)
    assert stored(session) == [(written.parties["OPCW"], "response", "telegram", None)]


async def test_the_reminder_of_an_unanswered_letter_carries_the_same_buttons(
    api: FakeBotApi, engine: Engine, session: Session
) -> None:
    written = write_letter(session, chat_ids={"KEN": CHAT}, language="es")
    policy = session.get(ReminderPolicy, written.policy_id)
    assert policy is not None
    policy.paused = False
    session.add(policy)
    session.commit()
    late = datetime(2026, 8, 3, 12, 0, tzinfo=UTC)  # a Monday, in working hours in UTC
    assert sweep(session=session, now=late).queued
    await dispatch(engine, api, late)
    reminder = telegram_delivery(session, written.pocs["KEN"], "reminder")
    # the letter itself (still pending) and its reminder go out together
    [sent] = [m for m in api.messages_to(CHAT) if "31 de julio de 2026" in m.text]
    assert sent.reply_markup == {"inline_keyboard": [
        [{"text": label, "callback_data": data}]
        for label, data in buttons(LETTER, reminder, "es")]}
    async with letter_bot(api, engine, now=late + timedelta(hours=2)):
        text = await press(api, f"lt:{reminder}:promise", message_id=sent.message_id)
    assert text == thanks(LETTER, LetterAnswer.PROMISE, "es", "2026-09-02")
    assert stored(session) == [(written.parties["KEN"], "promise", "telegram",
                                date(2026, 9, 2))]


async def test_a_button_pressed_after_the_links_expired_records_nothing(
    api: FakeBotApi, engine: Engine, session: Session
) -> None:
    written = write_letter(session, chat_ids={"IAEA": CHAT}, language="ru")
    await dispatch(engine, api, SENT)
    delivery = telegram_delivery(session, written.pocs["IAEA"], "one_off")
    async with letter_bot(api, engine, now=SENT + timedelta(days=31), reply_link_days=30):
        text = await press(api, f"lt:{delivery}:responded")
    assert text == expired(LETTER, "ru") != expired(LETTER, "en")
    assert stored(session) == []
