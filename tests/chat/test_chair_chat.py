"""Staff write, preview, approve, reschedule and cancel the Chair's message in Telegram.

The reply bot's real Application processes each update (tests/support/chair_chat.py); its
answers go through python-telegram-bot's HTTP stack to the fake Bot API. Both backends.
"""

from datetime import timedelta

from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.chat.chair.calls import say
from bot.chat.chair.conversation import CONVERSATION_TIMEOUT
from bot.render.markdown import to_text
from bot.render.messages import render_message
from storage import chair
from storage.chair import ChairMessage, ChairState
from storage.chair_release import TEMPLATE, outbox_context
from tests.support.chair import draft
from tests.support.chair_chat import (
    ADMIN,
    DRAFTER,
    POC_CHAT,
    SECOND,
    STRANGER,
    ChatDriver,
    button_data,
    chat_driver,
    labels,
)
from tests.support.chat import Clock, poc_say, staff_say
from tests.support.fake_bot_api import FakeBotApi, ReceivedMessage

ENGLISH_BODY = "Dear colleagues, see the site.\nWith regards"
FRENCH_BODY = "Chers collègues, voir le site."


def entity(text: str, part: str, kind: str, **extra: str) -> dict[str, object]:
    """Telegram's formatting of `part` of `text` (offsets in UTF-16 code units)."""
    start = len(text[:text.index(part)].encode("utf-16-le")) // 2
    return {"type": kind, "offset": start, "length": len(part.encode("utf-16-le")) // 2,
            **extra}


def the_message(engine: Engine) -> ChairMessage:
    """The one Chair's message in the database."""
    with Session(engine) as fresh:
        [message] = chair.listing(session=fresh)
        return message


def stored(engine: Engine, message_id: int) -> ChairMessage:
    with Session(engine) as fresh:
        return chair.get(session=fresh, message_id=message_id)


def stored_bodies(engine: Engine, message_id: int) -> dict[str, tuple[str, str]]:
    with Session(engine) as fresh:
        return {language: (body.subject, body.markdown) for language, body in
                chair.bodies(session=fresh, message_id=message_id).items()}


async def write_language(chat: ChatDriver, user_id: int, choice: ReceivedMessage,
                         language: str, subject: str, body: str,
                         entities: list[dict[str, object]] | None = None) -> ReceivedMessage:
    """Press the language, write the subject and the body; the "another or done?" answer."""
    [asked] = await chat.press(user_id, choice, f"{say('language_name', code=language)} "
                                                f"({language})")
    assert asked.text == say("ask_subject", language=language)
    asked = await chat.say(user_id, subject)
    assert asked.text == say("ask_body", language=language)
    return await chat.say(user_id, body, entities)


async def draft_in_english_and_french(chat: ChatDriver) -> list[ReceivedMessage]:
    """Staff A writes the message in the conversation; every answer after Done."""
    choice = await chat.say(DRAFTER, "/chair new")
    assert labels(choice) == ["Arabic (ar)", "Chinese (zh)", "English (en)", "French (fr)",
                              "Russian (ru)", "Spanish (es)"]
    more = await write_language(
        chat, DRAFTER, choice, "en", "Message of the Chair", ENGLISH_BODY,
        [entity(ENGLISH_BODY, "colleagues", "bold"),
         entity(ENGLISH_BODY, "the site", "text_link", url="https://example.org/1540"),
         entity(ENGLISH_BODY, "regards", "italic")])
    assert more.text == say("written", languages=["en"])
    assert labels(more) == ["Add another language", "Done"]
    [choice] = await chat.press(DRAFTER, more, "Add another language")
    more = await write_language(chat, DRAFTER, choice, "fr", "Message du Président",
                                FRENCH_BODY, [entity(FRENCH_BODY, "collègues", "bold")])
    assert more.text == say("written", languages=["en", "fr"])
    return await chat.press(DRAFTER, more, "Done")


async def test_a_drafts_in_two_languages_b_approves_an_edit_returns_it_to_draft(
    api: FakeBotApi, engine: Engine, people: dict[str, int]
) -> None:
    async with chat_driver(api, engine) as chat:
        answers = await draft_in_english_and_french(chat)
        message = the_message(engine)
        message_id = message.id
        assert message_id is not None
        saved, _, en_telegram, _, fr_telegram, table = answers

        # what was stored: the formatting as Markdown, the actor, the default send time
        assert saved.text == say("saved", message_id=message_id, created=True,
                                 returned_to_draft=False)
        assert stored_bodies(engine, message_id) == {
            "en": ("Message of the Chair",
                   "Dear **colleagues**, see [the site](<https://example.org/1540>).\\\n"
                   "With *regards*"),
            "fr": ("Message du Président", "Chers **collègues**, voir le site.")}
        assert (message.state, message.drafted_by) == ("draft", f"telegram:{DRAFTER}")
        assert message.send_at is not None and message.send_at.isoformat() == (
            "2027-01-04T15:00:00+00:00")  # 1 January is a holiday; 10:00 in New York

        the_preview_is_what_pocs_receive(engine, message_id, answers)
        the_email_comes_as_documents(chat, message_id)
        the_table_names_pocs_by_id_only(table, message_id, people)

        # four eyes: A may not approve; B previews and approves with the button
        [refused] = await chat.press(DRAFTER, table, "Approve")
        assert refused.text == (f"You wrote or changed message {message_id}, so you cannot "
                                "approve it: another staff member or an admin must "
                                "(four eyes).")
        assert stored(engine, message_id).state == ChairState.DRAFT
        seen_by_b = await chat.type(SECOND, f"/chair preview {message_id}")
        assert [m.text for m in seen_by_b[1:5:2]] == [en_telegram.text, fr_telegram.text]
        [approved] = await chat.press(SECOND, seen_by_b[-1], "Approve")
        assert approved.text == (f"Message {message_id} is approved. It goes out 2027-01-04 "
                                 "10:00 New York time (2027-01-04 15:00 UTC).")
        assert stored(engine, message_id).approved_by == f"telegram:{SECOND}"

        # an edit afterwards sends it back to draft; B's old preview can no longer approve
        choice = await chat.say(DRAFTER, f"/chair edit {message_id}")
        more = await write_language(chat, DRAFTER, choice, "fr", "Message du Président",
                                    "Chers collègues, voir le nouveau site.")
        [changed, *_] = await chat.press(DRAFTER, more, "Done")
        assert changed.text == say("saved", message_id=message_id, created=False,
                                   returned_to_draft=True)
        assert "draft again" in changed.text
        assert stored(engine, message_id).state == ChairState.DRAFT
        assert stored_bodies(engine, message_id)["fr"][1] == (
            "Chers collègues, voir le nouveau site.")
        [stale] = await chat.press(SECOND, seen_by_b[-1], "Approve")
        assert "changed after this preview" in stale.text
        assert stored(engine, message_id).state == ChairState.DRAFT

        cancelled = await chat.say(ADMIN, f"/chair cancel {message_id}")
        assert cancelled.text == f"Message {message_id} is cancelled; nobody will receive it."
        assert stored(engine, message_id).state == ChairState.CANCELLED
        again = await chat.say(SECOND, f"/chair approve {message_id}")
        assert again.text == (f"Message {message_id} is cancelled, not a draft: there is "
                              "nothing to approve.")


async def test_approve_by_command_schedule_and_the_send_time_buttons(
    api: FakeBotApi, engine: Engine, people: dict[str, int]
) -> None:
    async with chat_driver(api, engine) as chat:
        await draft_in_english_and_french(chat)
        message_id = the_message(engine).id
        assert message_id is not None
        own = await chat.say(DRAFTER, f"/chair approve {message_id}")
        assert "you cannot approve it" in own.text
        at = await chat.say(DRAFTER, f"/chair schedule {message_id} 2027-02-01 09:30")
        assert at.text == (f"Message {message_id} will go out 2027-02-01 09:30 New York time "
                           "(2027-02-01 14:30 UTC).")
        past = await chat.say(DRAFTER, f"/chair schedule {message_id} 2026-11-01 09:30")
        assert "has already passed" in past.text
        bad = await chat.say(DRAFTER, f"/chair schedule {message_id} tomorrow")
        assert bad.text == say("schedule_usage")
        approved = await chat.say(SECOND, f"/chair approve {message_id}")
        assert approved.text.endswith("goes out 2027-02-01 09:30 New York time "
                                      "(2027-02-01 14:30 UTC).")
        table = (await chat.type(SECOND, f"/chair preview {message_id}"))[-1]
        assert labels(table) == ["Send time", "Cancel"]  # approved: nothing to approve
        [choice] = await chat.press(SECOND, table, "Send time")
        assert labels(choice) == ["Right after approval", "First working day of next quarter"]
        [now] = await chat.press(SECOND, choice, "Right after approval")
        assert now.text == (f"Message {message_id} will go out as soon as it is approved. "
                            "It was approved, and is a draft again: it needs a new approval.")
        message = stored(engine, message_id)
        assert (message.state, message.send_at) == (ChairState.DRAFT, None)
        [default] = await chat.press(SECOND, choice, "First working day of next quarter")
        assert "2027-01-04 10:00 New York time" in default.text
        # B changed the send time: B is an author now; the admin may approve
        assert "you cannot approve it" in (
            await chat.say(SECOND, f"/chair approve {message_id}")).text
        assert "is approved" in (await chat.say(ADMIN, f"/chair approve {message_id}")).text
        listed = await chat.say(ADMIN, "/chair list")
        assert listed.text.startswith(f"<b>{message_id}</b> · approved · goes out 2027-01-04")
        assert "Message of the Chair" in listed.text


async def test_plain_text_that_looks_like_markup_arrives_escaped(
    api: FakeBotApi, engine: Engine, people: dict[str, int]
) -> None:
    typed = '<b>Dual-use & "AI"</b>'
    async with chat_driver(api, engine) as chat:
        choice = await chat.say(DRAFTER, "/chair new")
        more = await write_language(chat, DRAFTER, choice, "en", typed, f"{typed} *x* & y")
        _, _, telegram, table = await chat.press(DRAFTER, more, "Done")
    assert telegram.text == ("<b>&lt;b&gt;Dual-use &amp; &#34;AI&#34;&lt;/b&gt;</b>\n\n"
                             '&lt;b&gt;Dual-use &amp; "AI"&lt;/b&gt; *x* &amp; y')
    message_id = the_message(engine).id
    assert message_id is not None
    [(subject, markdown)] = stored_bodies(engine, message_id).values()
    assert subject == typed and to_text(markdown) == f"{typed} *x* & y"
    assert f"<b>Message {message_id}</b>" in table.text


async def test_cancel_stops_the_conversation_and_an_idle_one_times_out(
    api: FakeBotApi, engine: Engine, people: dict[str, int]
) -> None:
    clock = Clock()
    async with chat_driver(api, engine, clock) as chat:
        await chat.say(DRAFTER, "/chair new")
        assert (await chat.say(DRAFTER, "/cancel")).text == say("conversation_cancelled")
        choice = await chat.say(DRAFTER, "/chair new")
        [_] = await chat.press(DRAFTER, choice, "English (en)")
        listed = await chat.say(DRAFTER, "/chair list")  # other commands meanwhile
        assert "No Chair's messages yet" in listed.text
        asked = await chat.say(DRAFTER, "Subject line")  # the conversation goes on
        assert asked.text == say("ask_body", language="en")
        clock.now += CONVERSATION_TIMEOUT + timedelta(seconds=1)
        late = await chat.say(DRAFTER, "Body text")
        assert late.text == say("conversation_timed_out", minutes=30)
        [unasked] = await chat.type(DRAFTER, "Body text")  # no conversation: not taken
        assert unasked.text.startswith("Nothing here is waiting for an answer")
        [stale] = await chat.press(DRAFTER, choice, "French (fr)")
        assert stale.text == say("conversation_over")
    with Session(engine) as fresh:
        assert fresh.exec(select(ChairMessage)).all() == []


SUBCOMMANDS = ["/chair", "/chair new", "/chair list", "/chair edit 1", "/chair preview 1",
               "/chair approve 1", "/chair schedule 1 now", "/chair cancel 1",
               "/chair status 1", "/chair audience 1 all"]


async def test_outsiders_and_points_of_contact_are_refused_every_chair_command(
    api: FakeBotApi, engine: Engine, people: dict[str, int], session: Session
) -> None:
    message_id = draft(session, languages=("en",))
    async with chat_driver(api, engine) as chat:
        table = (await chat.type(SECOND, f"/chair preview {message_id}"))[-1]
        for user_id, refusal in ((STRANGER, staff_say("refused")),
                                 (POC_CHAT, poc_say("en", "staff_only"))):
            for line in SUBCOMMANDS:
                assert (await chat.say(user_id, line)).text == refusal, line
            for label in ("Approve", "Cancel", "Send time"):
                answers = await chat.press(user_id, table, label, chat_id=user_id)
                assert [a.text for a in answers] == [refusal], label
        message = stored(engine, message_id)
        assert (message.state, message.approved_by) == (ChairState.DRAFT, None)
        with Session(engine) as fresh:
            assert len(fresh.exec(select(ChairMessage)).all()) == 1


async def test_usage_and_unknown_messages_get_a_clear_sentence(
    api: FakeBotApi, engine: Engine, people: dict[str, int]
) -> None:
    async with chat_driver(api, engine) as chat:
        assert (await chat.say(ADMIN, "/chair")).text == say("usage")
        assert (await chat.say(ADMIN, "/chair whatever")).text == say("usage")
        assert (await chat.say(ADMIN, "/chair approve x")).text == say("id_usage",
                                                                       action="approve")
        assert (await chat.say(ADMIN, "/chair status 99")).text == (
            "There is no Chair's message 99.")
        assert (await chat.say(ADMIN, "/chair edit 99")).text == (
            "There is no Chair's message 99.")


async def test_the_arabic_preview_is_right_to_left_and_a_missing_english_is_said(
    api: FakeBotApi, engine: Engine, people: dict[str, int], session: Session
) -> None:
    message = chair.create_draft(session=session, actor="cli:amina", now=Clock().now,
                                 send_at=None)
    assert message.id is not None
    chair.set_body(session=session, message_id=message.id, language="ar", actor="cli:amina",
                   now=Clock().now, subject="رسالة الرئيس", markdown="**الزملاء** الأعزاء")
    session.commit()
    async with chat_driver(api, engine) as chat:
        _, telegram, table = await chat.type(SECOND, f"/chair preview {message.id}")
        refused = await chat.say(SECOND, f"/chair approve {message.id}")
    assert telegram.text == "<b>رسالة الرئيس</b>\n\n<b>الزملاء</b> الأعزاء"
    [html_mail, text_mail] = chat.documents(SECOND)
    assert '<html lang="ar" dir="rtl">' in html_mail.content.decode()
    assert "الزملاء الأعزاء" in text_mail.content.decode()
    assert "no complete English version yet" in table.text
    assert "goes out as soon as it is approved" in table.text
    assert refused.text == say("chair_missing_english", params={"id": str(message.id)})


async def test_a_long_list_fits_one_telegram_message_and_says_how_many_more(
    api: FakeBotApi, engine: Engine, people: dict[str, int], session: Session
) -> None:
    now = Clock().now
    for number in range(20):
        message = chair.create_draft(session=session, actor="cli:amina", now=now,
                                     send_at=now + timedelta(days=number + 1))
        assert message.id is not None
        chair.set_body(session=session, message_id=message.id, language="en",
                       actor="cli:amina", now=now, subject=f"{number} <&> " + "x" * 290,
                       markdown="Text.")
    session.commit()
    async with chat_driver(api, engine) as chat:
        listed = await chat.say(ADMIN, "/chair list")
    assert len(listed.text) <= 4096
    shown = listed.text.count("· draft ·")
    assert 0 < shown < 15
    assert listed.text.endswith(f"…and {20 - shown} older (see <code>outreach chair list"
                                "</code>).")
    assert "19 &lt;&amp;&gt; xxx" in listed.text  # the newest first, escaped


def the_preview_is_what_pocs_receive(engine: Engine, message_id: int,
                                     answers: list[ReceivedMessage]) -> None:
    """Each language's Telegram message in the preview is exactly what the dispatcher sends."""
    _, en_header, en_telegram, fr_header, fr_telegram, _ = answers
    assert "Preview of message" in en_header.text and "English" in en_header.text
    assert en_telegram.text == (
        "<b>Message of the Chair</b>\n\nDear <b>colleagues</b>, see "
        '<a href="https://example.org/1540">the site</a>.\nWith <i>regards</i>')
    with Session(engine) as fresh:
        bodies = chair.bodies(session=fresh, message_id=message_id)
        for sent, language in ((en_telegram, "en"), (fr_telegram, "fr")):
            poc_gets = render_message(TEMPLATE, language, {
                "message": outbox_context(message_id, bodies[language])})
            assert sent.text == poc_gets.telegram  # what the dispatcher would send
            assert sent.parse_mode == "HTML" and sent.reply_markup is None
    assert fr_telegram.text.startswith("<b>Message du Président</b>")
    assert "<b>collègues</b>" in fr_telegram.text
    assert "Français" not in fr_header.text and "French" in fr_header.text


def the_email_comes_as_documents(chat: ChatDriver, message_id: int) -> None:
    """The e-mail as documents, HTML and text, per language."""
    documents = chat.documents(DRAFTER)
    assert [d.filename for d in documents] == [
        f"chair-{message_id}-en.html", f"chair-{message_id}-en.txt",
        f"chair-{message_id}-fr.html", f"chair-{message_id}-fr.txt"]
    english_html = documents[0].content.decode()
    assert '<html lang="en"' in english_html
    assert "Dear <strong>colleagues</strong>" in english_html
    assert documents[1].content.decode().count("see the site (https://example.org/1540)")
    assert "Chers collègues" in documents[3].content.decode()


def the_table_names_pocs_by_id_only(table: ReceivedMessage, message_id: int,
                                    people: dict[str, int]) -> None:
    """Language x channel, fall-backs and PoCs with no channel, by id only; the buttons."""
    assert f"<b>Message {message_id}</b>: draft" in table.text
    assert "2027-01-04 10:00 New York time" in table.text
    assert f"PoC {people['ivan']} (RUS, ru)" in table.text
    assert f"PoC {people['silent']} (SEN)" in table.text
    assert "Invented" not in table.text and "example.org" not in table.text
    assert labels(table) == ["Approve", "Send time", "Cancel"]
    assert button_data(table, "Approve") == f"chair:approve:{message_id}:3"
