"""Responses to a letter end to end (issue 16, "done when"): `outreach run` as a child
process with a real SMTP server on loopback and the fake Bot API. A letter to five
organisations expecting a response by tomorrow goes out by e-mail and Telegram; the IAEA
answers with the letter's button, the OPCW follows the letter's own upload link and sends
its response in the browser (the same file again changes nothing), INTERPOL sends its
response with /submit (python-telegram-bot's real stack, told which letter it answers);
staff confirm the OPCW's document in Telegram, INTERPOL's with `outreach inbox confirm` and
record the WCO's note verbale. After the due date, the letter's policy resumed, the
reminder plan names only UNODC, and `outreach report` counts the responses letter by letter.
"""

import json
import re
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlmodel import Session, select

from bot.chat.common import say
from bot.chat.submit.conversation import words
from storage import letters
from storage.inbox.model import ReceivedDocument
from storage.letters import LetterResponse
from storage.staff import StaffRole, grant
from tests.e2e.test_inbox_end_to_end import documents_of, multipart, texts_to
from tests.e2e.test_reminders_end_to_end import FIRST_SECONDS, service_env
from tests.support import documents
from tests.support.cli import Invoke
from tests.support.fake_bot_api import FakeBotApi
from tests.support.outbox import NOW, add_poc, queue
from tests.support.personas import STAFF
from tests.support.service import ANSWER_SECONDS, running_service, wait_for
from tests.support.smtp_sink import SmtpSink

IAEA_CHAT, INTERPOL_CHAT = 8211, 8212
PARTIES = ("IAEA", "OPCW", "INTERPOL", "WCO", "UNODC")
UPLOAD = r"http://127\.0\.0\.1:9(/letter-upload/\d+/\d+/\d{8}/[0-9a-f]{32})"


def letter_to_organisations(session: Session) -> tuple[letters.Letter, datetime]:
    """The letter (a message to one PoC of each party, due the day after it is queued) and
    when it was queued."""
    chats = {"IAEA": IAEA_CHAT, "INTERPOL": INTERPOL_CHAT}
    pocs = [add_poc(session, code, f"Person {code}-Test", f"{code.lower()}@example.org",
                    chat_id=chats.get(code)) for code in PARTIES]
    sent = datetime.now(UTC)
    message = queue(session, pocs, template="chair_message", now=sent)
    message.context = {"subject": "Written submissions requested",
                       "markdown": "An invented letter requesting written submissions."}
    session.add(message)
    letter = letters.expect_for_message(session=session, outbox_message_id=message.id or 0,
                                        due_on=sent.date() + timedelta(days=1), actor="test",
                                        now=sent)
    session.commit()
    return letter, sent


def post_file(url: str, name: str, content: bytes) -> str:
    body, boundary = multipart(name, content)
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": f"multipart/form-data; boundary={boundary}"})
    with urllib.request.urlopen(request, timeout=ANSWER_SECONDS) as page:
        assert page.status == 200
        return str(page.read().decode())


def responses_of(session: Session) -> dict[int, LetterResponse]:
    session.expire_all()
    return {r.party_id: r for r in session.exec(select(LetterResponse))}


def submit_response(api: FakeBotApi, chat: int) -> None:
    """/submit, "response to a letter" (the one open letter, named), a DOCX, Send."""
    before = len(api.messages_to(chat))
    api.send_text(chat, chat, "/submit")
    wait_for(lambda: len(api.messages_to(chat)) > before)
    question = api.messages_to(chat)[-1]
    api.press_button(chat, chat, question.message_id, "ps:purpose:letter_response")
    named = words("letter_named", "en", party="\x00", sent="", due="").split("\x00")[0]
    wait_for(lambda: any(e.text.startswith(named) for e in api.edited_texts))
    before = len(api.messages_to(chat))
    api.send_document(chat, chat, "interpol-response.docx", documents.docx("Our response"))
    wait_for(lambda: len(api.messages_to(chat)) > before)
    api.press_button(chat, chat, api.messages_to(chat)[-1].message_id, "ps:confirm:send")


def test_a_letter_collects_buttons_uploads_and_records_and_reminds_only_the_silent(
    tmp_path: Path, database_url: str, session: Session, outreach: Invoke
) -> None:
    grant(session=session, telegram_user_id=STAFF, role=StaffRole.STAFF, actor="test", now=NOW)
    letter, sent = letter_to_organisations(session)
    letter_id, policy_id, due = letter.id, letter.policy_id, letter.due_on
    with SmtpSink() as sink, FakeBotApi() as api, running_service(
            tmp_path / "service", database_url, service_env(sink, api)) as service:
        service.wait_until_answering()
        base = service.health_url.removesuffix("/healthz")
        wait_for(lambda: len(sink.messages) == len(PARTIES), FIRST_SECONDS)
        wait_for(lambda: bool(api.messages_to(IAEA_CHAT)) and bool(
            api.messages_to(INTERPOL_CHAT)), FIRST_SECONDS)

        # the IAEA answers with the letter's button
        letter_message = api.messages_to(IAEA_CHAT)[0]
        assert letter_message.reply_markup is not None
        [responded] = [b["callback_data"] for row in
                       letter_message.reply_markup["inline_keyboard"] for b in row
                       if b["callback_data"].endswith(":responded")]
        api.press_button(IAEA_CHAT, IAEA_CHAT, letter_message.message_id, responded)
        wait_for(lambda: len(responses_of(session)) == 1)

        # the OPCW follows its letter's upload link, twice with the same file
        [mail] = [m for m in sink.messages if "opcw@example.org" in m.rcpt_tos]
        plain = mail.parsed().get_body(("plain",))
        assert plain is not None
        [path] = re.findall(UPLOAD, plain.get_content())
        assert f"/{letter_id}/" in path
        assert "has been received" in post_file(base + path, "opcw.pdf", documents.PDF)
        assert "already been received" in post_file(base + path, "opcw.pdf",
                                                    documents.PDF)
        from_web = documents_of(session)[0]
        assert (from_web.letter_id, from_web.channel) == (letter_id, "web")
        wait_for(lambda: any(f"{from_web.id}. OPCW" in t for t in texts_to(api, STAFF)))

        # INTERPOL sends its response with /submit
        submit_response(api, INTERPOL_CHAT)
        wait_for(lambda: len(documents_of(session)) == 3)
        from_chat = documents_of(session)[2]
        assert (from_chat.letter_id, from_chat.channel) == (letter_id, "telegram")
        wait_for(lambda: any(f"{from_chat.id}. INTERPOL, letter_response (letter {letter_id})"
                             in t for t in texts_to(api, STAFF)))

        # staff confirm the OPCW's document in Telegram
        before = len(api.messages_to(STAFF))
        api.send_text(STAFF, STAFF, f"/inbox confirm {from_web.id} letter substantive")
        wait_for(lambda: len(api.messages_to(STAFF)) > before)
        assert api.messages_to(STAFF)[-1].text == say(
            "inbox", "response_confirmed", "en", id=from_web.id, code="OPCW",
            letter=letter_id, substantive=True,
            day=from_web.received_at.date().isoformat())
        assert service.stop() == 0

    held = json.loads(outreach("reminders", "plan", "--days", "5", "--include-paused",
                               "--format", "json").output)
    assert sorted(row["state"] for row in held) == ["UNODC", "WCO"]  # INTERPOL under review
    assert outreach("inbox", "confirm", str(from_chat.id), "--not-substantive").exit_code == 0
    assert outreach("responses", "record", str(letter_id), "WCO", "--not-substantive",
                    "--on", sent.date().isoformat()).exit_code == 0
    assert outreach("reminders", "resume", "--policy", str(policy_id)).exit_code == 0
    plan = json.loads(outreach("reminders", "plan", "--days", "5", "--format",
                               "json").output)
    assert [(row["state"], row["date"] > due.isoformat()) for row in plan] == [
        ("UNODC", True)]

    rows = {row["party"]: row for row in json.loads(outreach(
        "responses", "list", str(letter_id), "--format", "json").output)}
    assert {code: (row["answer"], row["substantive"], row["document"])
            for code, row in rows.items()} == {
        "IAEA": ("response", None, None), "OPCW": ("response", True, from_web.id),
        "INTERPOL": ("response", False, from_chat.id), "WCO": ("response", False, None),
        "UNODC": ("none", None, None)}
    duplicate = session.exec(select(ReceivedDocument).where(
        ReceivedDocument.status == "duplicate")).one()
    assert duplicate.duplicate_of == from_web.id
    today = datetime.now(UTC).date()  # the CLI's today, on or after the day it was sent
    report = json.loads(outreach("report", "--from", (today - timedelta(days=30)).isoformat(),
                                 "--to", today.isoformat(), "--format", "json").output)
    assert report["letters"]["by_letter"][str(letter_id)] == {
        "id": letter_id, "sent_on": sent.date().isoformat(), "due_on": due.isoformat(),
        "written_to": 5,
        "written_to_organisations": 5, "responded": 4, "substantive": 1, "promised": 0,
        "not_answered": 1}
