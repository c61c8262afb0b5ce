"""/submit, "response to a letter", through python-telegram-bot's real stack against the fake
Bot API: a party with several open letters chooses one by its button (named by the days it
was sent and is due, in the PoC's language), with one open letter the PoC is told which,
with none the PoC is told so and may still send; the document names the letter; staff see
it in /inbox and confirm it with `/inbox confirm ID letter substantive`, which records the
party's response with the document attached. Both backends."""

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.chat.common import say
from bot.chat.submit.conversation import words
from storage import letters
from storage.letters import LetterResponse
from storage.staff import StaffRole, grant
from tests.inbox.test_submit_chat import bot, kept, send_file
from tests.support import documents
from tests.support.chat import until
from tests.support.fake_bot_api import FakeBotApi, ReceivedMessage
from tests.support.letters import DUE, SENT, Written, write_letter
from tests.support.log_chat import Chat, markup
from tests.support.outbox import NOW, add_poc, queue
from tests.support.personas import STAFF

KEN_CHAT = 5550471  # Kenya's PoC, Spanish-speaking for the spec, in her chat with the bot
FRA_CHAT = 5550472
SECOND_SENT = datetime(2026, 9, 1, 10, 0, tzinfo=UTC)
SECOND_DUE = datetime(2026, 10, 15, tzinfo=UTC).date()


def staff(session: Session) -> None:
    grant(session=session, telegram_user_id=STAFF, role=StaffRole.STAFF, actor="test", now=NOW)
    session.commit()


def second_letter(session: Session, written: Written) -> int:
    message = queue(session, [written.pocs["KEN"]], template="chair_message", now=SECOND_SENT)
    letter = letters.expect_for_message(session=session, outbox_message_id=message.id or 0,
                                        due_on=SECOND_DUE, actor="test", now=SECOND_SENT)
    session.commit()
    assert letter.id is not None
    return letter.id


async def choose_letter_response(chat: Chat, user: int, language: str
                                 ) -> tuple[ReceivedMessage, str]:
    """/submit, then "response to a letter": the question and the text it became."""
    before = len(chat.api.edited_texts)
    question = await chat.say(user, "/submit")
    await chat.press(user, question, words("purpose_button", language,
                                           purpose="letter_response"))
    await until(lambda: len(chat.api.edited_texts) > before)
    return question, chat.api.edited_texts[-1].text


async def test_with_several_open_letters_the_poc_chooses_one_and_staff_confirm_it(
    api: FakeBotApi, engine: Engine, session: Session, tmp_path: Path
) -> None:
    staff(session)
    written = write_letter(session, chat_ids={"KEN": KEN_CHAT}, language="es")
    second = second_letter(session, written)
    async with bot(api, engine, tmp_path) as chat:
        question, asked = await choose_letter_response(chat, KEN_CHAT, "es")
        assert asked == words("ask_letter", "es", party="Kenya")
        buttons = markup(api, question)
        assert buttons is not None
        labels = [button["text"] for row in buttons["inline_keyboard"] for button in row]
        first_label = words("letter_button", "es", sent=SENT.date().isoformat(),
                            due=DUE.isoformat())
        second_label = words("letter_button", "es", sent=SECOND_SENT.date().isoformat(),
                             due=SECOND_DUE.isoformat())
        assert labels == [first_label, second_label]
        assert "2 de junio de 2026" in first_label
        await chat.press(KEN_CHAT, question, second_label)
        await until(lambda: api.edited_texts[-1].text.startswith(words(
            "letter_named", "es", party="Kenya", sent=SECOND_SENT.date().isoformat(),
            due=SECOND_DUE.isoformat())))
        confirm = await send_file(api, KEN_CHAT, "respuesta.pdf", documents.PDF)
        await chat.press(KEN_CHAT, confirm, words("send_button", "es"))
        await until(lambda: api.edited_texts[-1].text == words("received", "es"))
        [document] = kept(engine)
        assert (document.purpose, document.letter_id) == ("letter_response", second)
        notice = f"{document.id}. KEN, letter_response (letter {second})"
        await until(lambda: any(notice in m.text for m in api.messages_to(STAFF)))

        listing = await chat.say(STAFF, "/inbox")
        assert f"{document.id}. KEN, letter_response (letter {second})" in listing.text
        done = await chat.say(STAFF, f"/inbox confirm {document.id} letter substantive")
        assert done.text == say("inbox", "response_confirmed", "en", id=document.id,
                                code="KEN", letter=second, substantive=True,
                                day=NOW.date().isoformat())
    with Session(engine) as fresh:
        [response] = fresh.exec(select(LetterResponse))
        assert (response.letter_id, response.party_id, response.substantive,
                response.document_id, response.channel) == (
            second, written.parties["KEN"], True, document.id, "telegram")


async def test_one_open_letter_is_named_and_none_is_said_and_the_file_still_goes(
    api: FakeBotApi, engine: Engine, session: Session, tmp_path: Path
) -> None:
    staff(session)
    written = write_letter(session, chat_ids={"KEN": KEN_CHAT}, language="es")
    add_poc(session, "FRA", "Claire Invented", "claire@example.org", chat_id=FRA_CHAT,
            language="fr")
    async with bot(api, engine, tmp_path) as chat:
        _, named = await choose_letter_response(chat, KEN_CHAT, "es")
        assert named.startswith(words("letter_named", "es", party="Kenya",
                                      sent=SENT.date().isoformat(), due=DUE.isoformat()))
        assert named.endswith(words("ask_file", "es", what="letter_response", limit=0.0))
        confirm = await send_file(api, KEN_CHAT, "respuesta.pdf", documents.PDF)
        await chat.press(KEN_CHAT, confirm, words("send_button", "es"))
        await until(lambda: api.edited_texts[-1].text == words("received", "es"))

        await until(lambda: len(api.messages_to(STAFF)) == 1)  # the notice
        _, none = await choose_letter_response(chat, FRA_CHAT, "fr")
        assert none.startswith(words("no_open_letter", "fr", party="France"))
        confirm = await send_file(api, FRA_CHAT, "reponse.docx", documents.docx())
        await chat.press(FRA_CHAT, confirm, words("send_button", "fr"))
        await until(lambda: api.edited_texts[-1].text == words("received", "fr"))
        await until(lambda: len(api.messages_to(STAFF)) == 2)
        refused = await chat.say(STAFF, f"/inbox confirm {len(kept(engine))} letter "
                                        "not_substantive")
        assert refused.text == say("inbox", "refused", "en", code="inbox_no_letter")
    by_name = {d.original_name: d.letter_id for d in kept(engine)}
    assert by_name == {"respuesta.pdf": written.letter_id, "reponse.docx": None}
