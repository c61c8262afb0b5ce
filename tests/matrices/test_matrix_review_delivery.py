"""The draft matrix reaches the State's PoCs attached: by e-mail as a MIME attachment (through
a real SMTP conversation with the local sink), by Telegram as a document whose caption is
the message, with the "approved" / "comments" buttons under it (python-telegram-bot against
the fake Bot API). A draft whose file is gone is not sent without it. The caption holds in
Telegram's 1024 characters in the six languages. Both backends."""

from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.channels.contract import Attachment, Outcome, OutgoingTelegram
from bot.channels.email.config import SmtpConfig
from bot.channels.email.smtp import SmtpSender
from bot.channels.telegram import TelegramSender
from bot.channels.telegram_document import CAPTION_LIMIT
from bot.delivery.dispatcher import Dispatcher, LinkSettings
from bot.render.messages import render_message
from storage.matrices import reviews
from storage.outbox import Delivery
from tests.matrices.review_support import SENT, delivery_of, send
from tests.support.documents import PDF
from tests.support.fake_bot_api import FakeBotApi
from tests.support.smtp_sink import SmtpSink

CHAT = 515151
FROM = "1540 Committee <outreach@example.org>"
LINKS = LinkSettings(public_url="https://outreach.example.org", secret="s3")
LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    with SmtpSink() as running:
        yield running


async def dispatch(engine: Engine, sink: SmtpSink, api: FakeBotApi, data_dir: Path) -> None:
    email = SmtpSender(SmtpConfig.from_url(sink.url()), FROM, None)
    async with TelegramSender(FakeBotApi.TOKEN, api.base_url) as telegram:
        await Dispatcher(engine=engine, email=email, telegram=telegram, owner="test-1",
                         clock=lambda: SENT, links=LINKS, data_dir=data_dir).run_once()


def _attachments(mail: EmailMessage) -> list[tuple[str | None, str, bytes]]:
    found = []
    for part in mail.iter_attachments():
        assert isinstance(part, EmailMessage)
        payload = part.get_payload(decode=True)
        assert isinstance(payload, bytes)
        found.append((part.get_filename(), part.get_content_type(), payload))
    return found


async def test_the_email_carries_the_draft_and_the_link_for_comments(
        engine: Engine, session: Session, tmp_path: Path, sink: SmtpSink,
        api: FakeBotApi) -> None:
    sent = send(session, tmp_path, language="fr")
    await dispatch(engine, sink, api, tmp_path)
    [received] = sink.messages
    mail = received.parsed()
    assert mail.get_content_type() == "multipart/mixed" and mail["Content-Language"] == "fr"
    assert _attachments(mail) == [("KEN matrix v2.pdf", "application/pdf", PDF)]
    body = mail.get_body(preferencelist=("plain",))
    assert body is not None
    text = body.get_content()
    assert "projet ci-joint de sa matrice (version 2)" in text
    assert f"/upload/{sent.pocs['email']}/matrix_comments/" in text
    html = mail.get_body(preferencelist=("html",))
    assert html is not None and "/matrix_comments/" in html.get_content()


async def test_telegram_gets_the_draft_as_a_document_with_the_answer_buttons(
        engine: Engine, session: Session, tmp_path: Path, sink: SmtpSink,
        api: FakeBotApi) -> None:
    sent = send(session, tmp_path, language="es")
    await dispatch(engine, sink, api, tmp_path)
    [upload] = api.uploads_to(CHAT)
    assert (upload.method, upload.filename, upload.content) == (
        "sendDocument", "KEN matrix v2.pdf", PDF)
    assert upload.caption is not None and "(versión 2)" in upload.caption
    assert upload.parse_mode == "HTML"
    delivery = delivery_of(session, sent.pocs["telegram"])
    assert upload.reply_markup == {"inline_keyboard": [
        [{"text": "Aprobamos el proyecto", "callback_data": f"mr:{delivery}:approved"}],
        [{"text": "Tenemos observaciones", "callback_data": f"mr:{delivery}:comments"}]]}
    assert api.messages_to(CHAT) == []  # the document is the message


async def test_a_draft_whose_file_is_gone_is_not_sent_without_it(
        engine: Engine, session: Session, tmp_path: Path, sink: SmtpSink,
        api: FakeBotApi) -> None:
    sent = send(session, tmp_path)
    reviews.path_of(data_dir=tmp_path, review=sent.review).unlink()
    await dispatch(engine, sink, api, tmp_path)
    session.expire_all()
    rows = session.exec(select(Delivery.state, Delivery.last_error)).all()
    assert {state for state, _ in rows} == {"failed"}
    assert all("missing from the data folder" in error for _, error in rows)
    assert sink.messages == [] and api.uploads == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_caption_holds_in_telegram_s_limit_in_every_language(language: str) -> None:
    # the longest a PoC's name and a party's name may be (both columns hold 200 characters)
    context = {"poc": {"full_name": "M" * 200, "title": "", "emails": []},
               "party": {"code": "GBR", "name": "U" * 200},
               "message": {"matrix_review": 1, "version": 12, "respond_by": "2026-12-15",
                           "file_name": "m.pdf"}}
    rendered = render_message("matrix_review", language, context, channel="telegram")
    assert rendered.language == language
    assert 0 < len(rendered.telegram) <= CAPTION_LIMIT


async def test_a_caption_over_telegram_s_limit_fails_for_a_person_to_see(
        api: FakeBotApi) -> None:
    item = OutgoingTelegram(delivery_id=1, chat_id=CHAT, html="x" * (CAPTION_LIMIT + 1),
                            document=Attachment("m.pdf", "application/pdf", PDF))
    async with TelegramSender(FakeBotApi.TOKEN, api.base_url) as telegram:
        result = await telegram.send(item)
    assert result.outcome is Outcome.PERMANENT and "caption is too long" in result.reason
    assert api.uploads == []
