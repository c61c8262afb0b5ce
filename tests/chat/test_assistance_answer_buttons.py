"""A requesting State answers the assistance follow-up a year after a match with a Telegram
button: the dispatcher sends the follow-up with three buttons in the PoC's language, a press
from the PoC's chat records the answer once (audited) and thanks them, a press from any other
chat records nothing. python-telegram-bot's real stack against the fake Bot API, the answers
in the test's database (SQLite, PostgreSQL).
"""

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.channels.contract import OutgoingEmail
from bot.channels.telegram import TelegramSender
from bot.delivery.answer_kinds import (
    ASSISTANCE,
    buttons,
    expired,
    not_yours,
    parse_callback,
    thanks,
)
from bot.delivery.dispatcher import Dispatcher, LinkSettings
from storage.assistance import feedback
from storage.assistance.model import FeedbackAnswer
from storage.audit import AuditEntry
from tests.support.assistance_follow_up import LATER, follow_up_deliveries, queue_follow_up
from tests.support.chat import answer_bot as reply_bot
from tests.support.chat import press_answer, until
from tests.support.fake_bot_api import EditedMarkup, FakeBotApi
from tests.support.outbox import ScriptedSender, add_poc

CHAT = 515151
STRANGER = 777002


async def press(api: FakeBotApi, data: str, chat_id: int = CHAT, message_id: int = 1) -> str:
    return await press_answer(api, data, chat_id, message_id)
LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    with FakeBotApi() as fake:
        yield fake


async def dispatch(engine: Engine, api: FakeBotApi) -> ScriptedSender:
    """The dispatcher at LATER, Telegram through the fake; the e-mails it was given."""
    email = ScriptedSender()
    async with TelegramSender(FakeBotApi.TOKEN, api.base_url) as telegram:
        dispatcher = Dispatcher(engine=engine, email=email, telegram=telegram, owner="test-1",
                                clock=lambda: LATER, links=LinkSettings(
                                    public_url="https://outreach.example.org", secret="s3"))
        await dispatcher.run_once()
    return email


def audited(session: Session) -> list[str]:
    session.expire_all()
    return [entry.action for entry in session.exec(select(AuditEntry))
            if entry.entity == "assistance_request" and entry.action == "feedback"]


def test_labels_are_in_the_pocs_language_with_short_callback_data() -> None:
    assert buttons(ASSISTANCE, 7, "fr") == (
        ("L'assistance a été fournie", "af:7:met"),
        ("L'assistance a été partiellement fournie", "af:7:partly_met"),
        ("L'assistance est toujours nécessaire", "af:7:still_needed"),
    )
    assert all(len(data.encode()) <= 64 for _, data in buttons(ASSISTANCE, 10**17, "en"))
    labels = {language: buttons(ASSISTANCE, 1, language) for language in LANGUAGES}
    assert len(set(labels.values())) == len(LANGUAGES)  # every language its own words
    assert labels["zh"][1][0] == "援助已部分满足"
    assert labels["ar"][2][0] == "لا تزال المساعدة مطلوبة"
    for language in LANGUAGES:
        texts = [thanks(ASSISTANCE, "met", language), not_yours(ASSISTANCE, language),
                 expired(ASSISTANCE, language)]
        assert all(0 < len(text) <= 200 for text in texts), language


def test_callback_data_parses_back_and_anything_else_is_refused() -> None:
    assert parse_callback("af:7:met") == (ASSISTANCE, 7, FeedbackAnswer.MET)
    assert parse_callback("af:12:still_needed") == (ASSISTANCE, 12, FeedbackAnswer.STILL_NEEDED)
    for junk in ("", "af:7:received", "r:7:met", "af::met", "af:0:met", "af:7:met\n",
                 "af:" + "9" * 40 + ":met"):
        assert parse_callback(junk) is None, junk


async def test_the_follow_up_carries_three_buttons_and_a_press_records_the_answer_once(
    api: FakeBotApi, engine: Engine, session: Session
) -> None:
    poc = add_poc(session, "KEN", "Wanjiru Example-Test", "wanjiru@example.org",
                  chat_id=CHAT, language="fr", role="assistance")
    request_id = queue_follow_up(session)
    email = await dispatch(engine, api)
    delivery = follow_up_deliveries(session)["telegram"]
    [sent] = api.messages_to(CHAT)
    assert "Kenya" in sent.text and "10 mars 2026" in sent.text
    assert sent.reply_markup == {"inline_keyboard": [
        [{"text": label, "callback_data": data}]
        for label, data in buttons(ASSISTANCE, delivery, "fr")]}
    [mail] = [item for item in email.sent if isinstance(item, OutgoingEmail)]
    assert "/assistance-answer/" in mail.text and "Merci" not in mail.text

    async with reply_bot(api, engine, now=LATER + timedelta(days=2)):
        stranger = await press(api, f"af:{delivery}:met", chat_id=STRANGER)
        first = await press(api, f"af:{delivery}:partly_met", message_id=sent.message_id)
        await until(lambda: len(api.edited_markups) == 1)
        again = await press(api, f"af:{delivery}:partly_met", message_id=sent.message_id)
    assert stranger == not_yours()
    assert first == again == thanks(ASSISTANCE, "met", "fr") == (
        "Merci ; votre réponse a été enregistrée et le secrétariat en a été informé.")
    assert api.edited_markups[0] == EditedMarkup(CHAT, sent.message_id, reply_markup=None)
    [answer] = feedback.answers(session=session, request_id=request_id)
    assert (answer.poc_id, answer.answer, answer.channel) == (poc, "partly_met", "telegram")
    assert audited(session) == ["feedback"]  # once, though pressed twice


async def test_a_press_from_another_chat_or_on_another_message_records_nothing(
    api: FakeBotApi, engine: Engine, session: Session
) -> None:
    add_poc(session, "KEN", "Wanjiru Example-Test", chat_id=CHAT, language="en",
            role="assistance")
    request_id = queue_follow_up(session)
    await dispatch(engine, api)
    delivery = follow_up_deliveries(session)["telegram"]
    async with reply_bot(api, engine, now=LATER):
        answers = [await press(api, f"af:{delivery}:met", chat_id=STRANGER),
                   await press(api, "af:999:met"),
                   await press(api, f"r:{delivery}:received")]  # a reminder's button
    assert answers[:2] == [not_yours(), not_yours()]
    assert feedback.answers(session=session, request_id=request_id) == []
    assert audited(session) == [] and api.edited_markups == []


async def test_a_button_pressed_after_the_links_expired_records_nothing(
    api: FakeBotApi, engine: Engine, session: Session
) -> None:
    add_poc(session, "KEN", "Wanjiru Example-Test", chat_id=CHAT, language="es",
            role="assistance")
    request_id = queue_follow_up(session)
    await dispatch(engine, api)
    delivery = follow_up_deliveries(session)["telegram"]
    async with reply_bot(api, engine, now=LATER + timedelta(days=31), reply_link_days=30):
        text = await press(api, f"af:{delivery}:still_needed")
    assert text == expired(ASSISTANCE, "es") != expired(ASSISTANCE, "en")
    assert feedback.answers(session=session, request_id=request_id) == []
