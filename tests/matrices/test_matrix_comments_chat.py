"""Comments on a draft matrix through python-telegram-bot's real stack (fake Bot API), both
backends: /submit offers them only to a PoC whose State has a review awaiting its answer;
sent, they name that review; staff confirm them with `/inbox confirm ID` alone (read, no
submission), and /matrix shows when they came."""

from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.chat.common import say
from bot.chat.submit.conversation import words
from storage.inbox.model import ReceivedDocument
from storage.matrices.review_model import MatrixReview
from storage.staff import StaffRole, grant
from storage.submissions import Submission
from tests.inbox.test_submit_chat import bot, send_file
from tests.matrices.review_support import send
from tests.support import documents
from tests.support.chat import until
from tests.support.fake_bot_api import FakeBotApi
from tests.support.log_chat import labels
from tests.support.outbox import NOW, add_poc
from tests.support.personas import STAFF

CHAT = 515151  # Kenya's PoC in the chat (tests.matrices.review_support.send)
CLAIRE = 5550312  # a PoC of France, whose State has no review
COMMENTS = words("purpose_button", "en", purpose="matrix_comments")


def _staff(session: Session) -> None:
    grant(session=session, telegram_user_id=STAFF, role=StaffRole.STAFF, actor="test", now=NOW)
    session.commit()


async def test_only_a_poc_whose_review_awaits_is_offered_comments(
    api: FakeBotApi, engine: Engine, session: Session, tmp_path: Path
) -> None:
    send(session, tmp_path)
    add_poc(session, "FRA", "Claire Invented", "claire@example.org", chat_id=CLAIRE)
    async with bot(api, engine, tmp_path) as chat:
        kenya = await chat.say(CHAT, "/submit")
        france = await chat.say(CLAIRE, "/submit")
        assert COMMENTS in labels(api, kenya)
        assert COMMENTS not in labels(api, france)
        assert words("purpose_button", "en", purpose="national_report") in labels(api, france)


async def test_comments_sent_in_the_chat_name_the_review_and_staff_mark_them_read(
    api: FakeBotApi, engine: Engine, session: Session, tmp_path: Path
) -> None:
    sent = send(session, tmp_path)
    _staff(session)
    async with bot(api, engine, tmp_path) as chat:
        question = await chat.say(CHAT, "/submit")
        await chat.press(CHAT, question, COMMENTS)
        await until(lambda: chat.api.edited_texts[-1].text == words(
            "ask_file", "en", what="matrix_comments", limit=0.0))
        confirm = await send_file(api, CHAT, "comments.docx", documents.docx("Comments"))
        await chat.press(CHAT, confirm, words("send_button", "en"))
        await until(lambda: api.edited_texts[-1].text == words("received", "en"))
        await until(lambda: bool(api.messages_to(STAFF)))  # staff told of it at once
        with Session(engine) as fresh:
            [document] = fresh.exec(select(ReceivedDocument))
            review = fresh.get(MatrixReview, sent.review.id)
            assert review is not None and review.state == "comments"
        assert document.matrix_review_id == sent.review.id
        wrong = await chat.say(STAFF, f"/inbox confirm {document.id} first_report 2026-11-20")
        assert wrong.text == say("inbox", "refused", "en", code="inbox_comments_no_kind")
        done = await chat.say(STAFF, f"/inbox confirm {document.id}")
        assert done.text == say("inbox", "comments_read", "en", id=document.id,
                                review=sent.review.id)
        matrix = await chat.say(STAFF, "/matrix KEN")
        assert f"(document {document.id}), read by staff" in matrix.text
    with Session(engine) as fresh:
        assert fresh.exec(select(Submission)).all() == []
        read = fresh.get(ReceivedDocument, document.id)
        assert read is not None and read.status == "confirmed"
