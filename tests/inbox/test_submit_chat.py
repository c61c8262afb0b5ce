"""A PoC sends a document with /submit through python-telegram-bot's real stack against the
fake Bot API (getFile and the file download included): the questions in the PoC's language,
the file fetched and kept for the PoC's own party, staff told at once in their language,
/inbox to list, open (the file sent back), confirm and decline; /mystatus says "under
review" until staff decide. /cancel writes nothing; a refused file keeps nothing; the step
and the draft survive a restart. Both backends."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.chat.app import build_application, run_bot
from bot.chat.common import say
from bot.chat.inbox import InboxPlace
from bot.chat.submit.conversation import words
from storage.inbox.model import ReceivedDocument
from storage.outbox import OutboxMessage
from storage.staff import StaffRole, grant
from storage.submissions import Submission
from tests.support import documents
from tests.support.chat import Clock, until
from tests.support.fake_bot_api import FakeBotApi, ReceivedMessage
from tests.support.log_chat import Chat
from tests.support.outbox import NOW, add_poc
from tests.support.personas import STAFF, STRANGER

CLAIRE = 5550311  # a French-speaking PoC of France in her private chat with the bot
CAP = 2048


@asynccontextmanager
async def bot(api: FakeBotApi, engine: Engine, data_dir: Path) -> AsyncIterator[Chat]:
    application = build_application(FakeBotApi.TOKEN, api.base_url, engine, clock=Clock(),
                                     inbox_place=InboxPlace(data_dir, CAP))
    stop = asyncio.Event()
    task = asyncio.create_task(run_bot(application, stop))
    await until(lambda: "getUpdates" in api.calls or task.done())
    try:
        yield Chat(api, application, polling=True)
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=10)


async def send_file(api: FakeBotApi, user: int, name: str, content: bytes,
                    size: int | None = None) -> ReceivedMessage:
    before = len(api.messages_to(user))
    api.send_document(user, user, name, content, file_size=size)
    await until(lambda: len(api.messages_to(user)) > before)
    await asyncio.sleep(0.05)
    [answer] = api.messages_to(user)[before:]
    return answer


def kept(engine: Engine) -> list[ReceivedDocument]:
    with Session(engine) as fresh:
        return list(fresh.exec(select(ReceivedDocument)))


@pytest.fixture
def claire(session: Session) -> int:
    grant(session=session, telegram_user_id=STAFF, role=StaffRole.STAFF, actor="test", now=NOW)
    session.commit()
    return add_poc(session, "FRA", "Claire Invented", "claire@example.org", chat_id=CLAIRE,
                   language="fr")


async def ask_for_file(chat: Chat, purpose: str = "national_report") -> None:
    question = await chat.say(CLAIRE, "/submit")
    assert question.text == words("ask_purpose", "fr", party="France")
    await chat.press(CLAIRE, question, words("purpose_button", "fr", purpose=purpose))
    await until(lambda: chat.api.edited_texts[-1].text == words(
        "ask_file", "fr", what=purpose, limit=0.0))


async def test_a_poc_submits_staff_are_told_open_and_confirm_it(
    api: FakeBotApi, engine: Engine, claire: int, tmp_path: Path
) -> None:
    async with bot(api, engine, tmp_path) as chat:
        await ask_for_file(chat)
        confirm = await send_file(api, CLAIRE, "rapport.pdf", documents.PDF)
        assert confirm.text == words("ask_confirm", "fr", what="national_report",
                                     file="rapport.pdf")
        staff_before = len(api.messages_to(STAFF))
        await chat.press(CLAIRE, confirm, words("send_button", "fr"))
        await until(lambda: api.edited_texts[-1].text == words("received", "fr"))
        await until(lambda: len(api.messages_to(STAFF)) > staff_before)
        notice = api.messages_to(STAFF)[-1].text
        [document] = kept(engine)
        assert (document.poc_id, document.channel, document.detected_type,
                document.original_name) == (claire, "telegram", "pdf", "rapport.pdf")
        assert f"{document.id}. FRA" in notice and "rapport.pdf" in notice
        status = await chat.say(CLAIRE, "/mystatus")
        assert "rapport.pdf" in status.text and "en cours d'examen" in status.text

        listing = await chat.say(STAFF, "/inbox")
        assert f"{document.id}. FRA" in listing.text
        api.send_text(chat_id=STAFF, user_id=STAFF, text=f"/inbox open {document.id}")
        await until(lambda: bool(api.uploads_to(STAFF)))
        [upload] = api.uploads_to(STAFF)
        assert upload.content == documents.PDF and upload.filename.endswith("rapport.pdf")
        done = await chat.say(STAFF, f"/inbox confirm {document.id} first_report 2026-11-20")
        assert done.text == say("inbox", "confirmed", "en", id=document.id, code="FRA",
                                kind="first_report", day="2026-11-20")
        after = await chat.say(CLAIRE, "/mystatus")
        assert "en cours d'examen" not in after.text and "2026-11-20" in after.text
    with Session(engine) as fresh:
        [submission] = fresh.exec(select(Submission))
        assert (submission.kind, submission.party_id) == ("first_report", document.party_id)


async def test_a_refused_file_and_cancel_keep_nothing(
    api: FakeBotApi, engine: Engine, claire: int, tmp_path: Path
) -> None:
    async with bot(api, engine, tmp_path) as chat:
        await ask_for_file(chat)
        too_big = await send_file(api, CLAIRE, "gros.pdf", documents.PDF, size=CAP + 1)
        assert too_big.text == words("refused", "fr", problem="inbox_too_large", limit=0.0)
        confirm = await send_file(api, CLAIRE, "rapport.pdf", documents.HTML_AS_PDF)
        await chat.press(CLAIRE, confirm, words("send_button", "fr"))
        await until(lambda: api.edited_texts[-1].text == words(
            "refused", "fr", problem="inbox_wrong_type", limit=0.0))
        assert "Seuls les documents PDF" in api.edited_texts[-1].text
        await ask_for_file(chat, "action_plan")
        cancelled = await chat.say(CLAIRE, "/cancel")
        assert cancelled.text == words("cancelled", "fr")
    assert kept(engine) == []
    assert not (tmp_path / "inbox").exists()


async def test_the_step_and_the_draft_survive_a_restart(
    api: FakeBotApi, engine: Engine, claire: int, tmp_path: Path
) -> None:
    async with bot(api, engine, tmp_path) as chat:
        await ask_for_file(chat, "additional_info")
    async with bot(api, engine, tmp_path) as chat:
        confirm = await send_file(api, CLAIRE, "info.odt", documents.odt())
        assert confirm.text == words("ask_confirm", "fr", what="additional_info",
                                     file="info.odt")
        await chat.press(CLAIRE, confirm, words("send_button", "fr"))
        await until(lambda: api.edited_texts[-1].text == words("received", "fr"))
    [document] = kept(engine)
    assert (document.purpose, document.detected_type) == ("additional_info", "odt")


async def test_only_a_poc_submits_only_staff_decide_and_decline_reaches_the_poc(
    api: FakeBotApi, engine: Engine, claire: int, tmp_path: Path
) -> None:
    async with bot(api, engine, tmp_path) as chat:
        stranger = await chat.say(STRANGER, "/submit")
        assert stranger.text == say("staff", "refused", "en")
        await ask_for_file(chat)
        confirm = await send_file(api, CLAIRE, "brouillon.docx", documents.docx())
        await chat.press(CLAIRE, confirm, words("send_button", "fr"))
        await until(lambda: api.edited_texts[-1].text == words("received", "fr"))
        [document] = kept(engine)
        refused = await chat.say(CLAIRE, f"/inbox decline {document.id} non")
        assert refused.text == say("poc", "staff_only", "fr")
        usage = await chat.say(STAFF, "/inbox confirm x")
        assert usage.text == say("inbox", "usage", "en")
        declined = await chat.say(STAFF, f"/inbox decline {document.id} Ce n'est qu'un brouillon.")
        assert declined.text == say("inbox", "declined", "en", id=document.id)
        again = await chat.say(STAFF, f"/inbox decline {document.id} encore")
        assert again.text == say("inbox", "refused", "en", code="inbox_already_decided")
    with Session(engine) as fresh:
        [message] = fresh.exec(select(OutboxMessage))
        assert (message.template, message.context["reason"]) == (
            "inbox_declined", "Ce n'est qu'un brouillon.")
