"""A State answers its draft matrix through the same roads as every answer (the matrix kind
of bot.delivery.answer_kinds): a Telegram button press through python-telegram-bot's real
stack against the fake Bot API, and the signed e-mail links through the HTTP endpoint.
"Approved" approves the version that day and the `matrices` figures change; "comments"
keeps it open; another chat, a tampered link and an expired one change nothing. Both
backends."""

import re
from datetime import date
from pathlib import Path

import httpx
from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.channels.contract import OutgoingEmail
from bot.delivery.answer_kinds import MATRIX_REVIEW, expired, not_yours, thanks
from bot.delivery.dispatcher import Dispatcher, LinkSettings
from storage.figures.matrices import matrix_shares
from storage.inbox.model import ReceivedDocument
from storage.matrices.model import MatrixVersion
from storage.matrices.review_model import MatrixReview
from tests.matrices.review_support import SENT, delivery_of, later, send
from tests.support.chat import answer_bot as review_bot
from tests.support.chat import press_answer
from tests.support.documents import docx
from tests.support.fake_bot_api import FakeBotApi
from tests.support.outbox import ScriptedSender
from tests.support.web import SECRET, serve

CHAT = 515151
STRANGER = 777003


async def press(api: FakeBotApi, data: str, chat_id: int = CHAT, message_id: int = 1) -> str:
    return await press_answer(api, data, chat_id, message_id)


def approved_on(session: Session) -> date | None:
    session.expire_all()
    return session.exec(select(MatrixVersion).where(MatrixVersion.version == 2)).one().approved_on


def state(session: Session) -> str:
    session.expire_all()
    return session.exec(select(MatrixReview.state)).one()


async def test_an_approval_by_button_press_changes_the_matrix_figures(
        api: FakeBotApi, engine: Engine, session: Session, tmp_path: Path) -> None:
    sent = send(session, tmp_path, language="fr")
    delivery = delivery_of(session, sent.pocs["telegram"])
    day = later(3).date()
    before = matrix_shares(session=session, on=day).overall.percent
    async with review_bot(api, engine, later(3), reply_link_days=30):
        stranger = await press(api, f"mr:{delivery}:approved", chat_id=STRANGER)
        assert approved_on(session) is None
        first = await press(api, f"mr:{delivery}:approved")
        again = await press(api, f"mr:{delivery}:approved")
    assert stranger == not_yours(MATRIX_REVIEW)
    assert first == again == thanks(MATRIX_REVIEW, "approved", "fr")
    assert first.startswith("Merci ; votre approbation du projet de matrice")
    assert approved_on(session) == day and state(session) == "approved"
    assert (before, matrix_shares(session=session, on=day).overall.percent) == (30, 80)


async def test_comments_by_button_keep_the_review_open_and_an_old_message_is_refused(
        api: FakeBotApi, engine: Engine, session: Session, tmp_path: Path) -> None:
    sent = send(session, tmp_path)
    delivery = delivery_of(session, sent.pocs["telegram"])
    async with review_bot(api, engine, later(3), reply_link_days=30):
        comments = await press(api, f"mr:{delivery}:comments")
    async with review_bot(api, engine, later(31), reply_link_days=30):
        late = await press(api, f"mr:{delivery}:approved")
    assert comments == thanks(MATRIX_REVIEW, "comments", "en") and "/submit" in comments
    assert late == expired(MATRIX_REVIEW, "en")
    assert state(session) == "comments" and approved_on(session) is None


async def mailed_links(engine: Engine, base: str, data_dir: Path) -> dict[str, str]:
    email = ScriptedSender()
    await Dispatcher(engine=engine, email=email, telegram=None, owner="test-1",
                     clock=lambda: SENT, links=LinkSettings(public_url=base, secret=SECRET),
                     data_dir=data_dir).run_once()
    [mail] = [item for item in email.sent if isinstance(item, OutgoingEmail)]
    assert [a.filename for a in mail.attachments] == ["KEN matrix v2.pdf"]
    links = re.findall(r"https?://\S+/matrix-answer/\d+/\w+/[0-9a-f]{32}", mail.text)
    assert links and all(f'href="{link}"' in mail.html for link in links)
    return {re.findall(r"/matrix-answer/\d+/(\w+)/", link)[0]: link for link in links}


async def test_the_email_links_ask_to_confirm_then_approve_once(
        engine: Engine, session: Session, tmp_path: Path) -> None:
    send(session, tmp_path, language="ru", chat_id=None)
    clock = {"now": later(4)}
    server, base = await serve(engine, clock=lambda: clock["now"], reply_link_days=30)
    try:
        links = await mailed_links(engine, base, tmp_path)
        assert sorted(links) == ["approved", "comments"]
        tampered = links["approved"][:-4] + ("0000" if not links["approved"].endswith("0000")
                                             else "1111")
        async with httpx.AsyncClient() as client:
            page = await client.get(links["approved"])
            assert approved_on(session) is None  # GET: a mail scanner records nothing
            refused = await client.post(tampered)
            done = await client.post(links["approved"])
            again = await client.post(links["approved"])
            clock["now"] = later(40)
            old = await client.post(links["comments"])
    finally:
        server.stop()
        await server.close_all_connections()
    assert page.status_code == 200 and '<form method="post">' in page.text
    assert '<html lang="ru"' in page.text and "Мы утверждаем проект" in page.text
    assert refused.status_code == 404 and old.status_code == 410
    assert done.status_code == again.status_code == 200
    assert "утверждение проекта матрицы зарегистрировано" in done.text
    assert approved_on(session) == later(4).date() and state(session) == "approved"


async def test_the_comments_link_of_the_email_takes_the_comments_on_the_upload_page(
        engine: Engine, session: Session, tmp_path: Path) -> None:
    sent = send(session, tmp_path, language="es", chat_id=None)
    server, base = await serve(engine, clock=lambda: later(2), reply_link_days=30,
                               data_dir=tmp_path)
    try:
        email = ScriptedSender()
        await Dispatcher(engine=engine, email=email, telegram=None, owner="test-1",
                         clock=lambda: SENT, links=LinkSettings(public_url=base, secret=SECRET),
                         data_dir=tmp_path).run_once()
        [mail] = [item for item in email.sent if isinstance(item, OutgoingEmail)]
        [upload] = re.findall(r"https?://\S+/upload/\d+/matrix_comments/\S+", mail.text)
        async with httpx.AsyncClient() as client:
            page = await client.get(upload)
            answer = await client.post(upload, files={"document": (
                "observaciones.docx", docx("Observaciones"), "application/octet-stream")})
    finally:
        server.stop()
        await server.close_all_connections()
    assert page.status_code == 200 and "Observaciones sobre el proyecto de matriz" in page.text
    assert answer.status_code == 200, answer.text
    session.expire_all()
    [document] = session.exec(select(ReceivedDocument)).all()
    assert (document.poc_id, document.purpose) == (sent.pocs["email"], "matrix_comments")
