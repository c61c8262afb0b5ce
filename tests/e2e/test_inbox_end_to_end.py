"""Documents from PoCs end to end (issue 16): `outreach run` as a child process with a real
SMTP server on loopback and the fake Bot API. Japan's PoC gets a reminder e-mail, follows its
upload link and sends a national report in the browser (multipart); staff are told in
Telegram; the PoC also sends a file with /submit (python-telegram-bot's real stack, getFile
and the download included); /mystatus says "under review"; staff confirm the report with
/inbox; Japan leaves the reminder plan, `outreach status` counts it and /mystatus shows it.
"""

import json
import re
import urllib.request
import uuid
from pathlib import Path

from sqlmodel import Session, col, select

from bot.chat.common import say
from bot.chat.submit.conversation import words
from storage.inbox.model import ReceivedDocument
from storage.staff import StaffRole, grant
from tests.e2e.test_reminders_end_to_end import FIRST_SECONDS, only_japan_is_silent, service_env
from tests.support import documents
from tests.support.cli import Invoke
from tests.support.fake_bot_api import FakeBotApi
from tests.support.outbox import NOW, add_poc
from tests.support.personas import STAFF
from tests.support.service import ANSWER_SECONDS, reminders_active, running_service, wait_for
from tests.support.smtp_sink import SmtpSink

AIKO = 8111  # Japan's PoC, in her private chat with the bot


def multipart(name: str, content: bytes) -> tuple[bytes, str]:
    """A browser's multipart/form-data body with one file field, "document"."""
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"document\"; "
            f"filename=\"{name}\"\r\nContent-Type: application/pdf\r\n\r\n").encode()
    return body + content + f"\r\n--{boundary}--\r\n".encode(), boundary


def documents_of(session: Session) -> list[ReceivedDocument]:
    session.expire_all()
    return list(session.exec(select(ReceivedDocument).order_by(col(ReceivedDocument.id))))


def texts_to(api: FakeBotApi, chat: int) -> list[str]:
    return [m.text for m in api.messages_to(chat)]


def test_a_pocs_report_by_link_and_chat_reaches_staff_and_ends_the_reminders(
    tmp_path: Path, database_url: str, session: Session, outreach: Invoke
) -> None:
    reminders_active(session)
    only_japan_is_silent(session)
    add_poc(session, "JPN", "Aiko Sato-Test", "aiko@example.org", chat_id=AIKO)
    grant(session=session, telegram_user_id=STAFF, role=StaffRole.STAFF, actor="test", now=NOW)
    session.commit()
    with SmtpSink() as sink, FakeBotApi() as api:
        env = service_env(sink, api)
        with running_service(tmp_path / "service", database_url, env) as service:
            service.wait_until_answering()
            wait_for(lambda: len(sink.messages) == 1, FIRST_SECONDS)
            plain = sink.messages[0].parsed().get_body(("plain",))
            assert plain is not None
            text = plain.get_content()
            [path] = re.findall(r"http://127\.0\.0\.1:9(/upload/\d+/national_report/"
                                r"\d{8}/[0-9a-f]{32})", text)
            local = service.health_url.removesuffix("/healthz") + path
            body, boundary = multipart("report.pdf", documents.PDF)
            request = urllib.request.Request(local, data=body, method="POST", headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}"})
            with urllib.request.urlopen(request, timeout=ANSWER_SECONDS) as page:
                assert page.status == 200
                assert "has been received" in page.read().decode()
            [from_web] = documents_of(session)
            assert (from_web.channel, from_web.detected_type) == ("web", "pdf")
            wait_for(lambda: any(f"{from_web.id}. JPN" in t for t in texts_to(api, STAFF)))

            # the same PoC sends an action plan in the chat
            before = len(api.messages_to(AIKO))
            api.send_text(AIKO, AIKO, "/submit")
            wait_for(lambda: len(api.messages_to(AIKO)) > before)
            question = api.messages_to(AIKO)[-1]
            assert question.reply_markup is not None
            [data] = [b["callback_data"] for row in question.reply_markup["inline_keyboard"]
                      for b in row if b["callback_data"] == "ps:purpose:action_plan"]
            api.press_button(AIKO, AIKO, question.message_id, data)
            wait_for(lambda: any(e.text.startswith(words("purpose_button", "en",
                                                         purpose="action_plan"))
                                 for e in api.edited_texts))
            before = len(api.messages_to(AIKO))
            api.send_document(AIKO, AIKO, "plan.docx", documents.docx())
            wait_for(lambda: len(api.messages_to(AIKO)) > before)
            confirm = api.messages_to(AIKO)[-1]
            api.press_button(AIKO, AIKO, confirm.message_id, "ps:confirm:send")
            wait_for(lambda: len(documents_of(session)) == 2)
            from_chat = documents_of(session)[1]
            assert (from_chat.channel, from_chat.detected_type) == ("telegram", "docx")
            wait_for(lambda: any(f"{from_chat.id}. JPN" in t for t in texts_to(api, STAFF)))

            before = len(api.messages_to(AIKO))
            api.send_text(AIKO, AIKO, "/mystatus")
            wait_for(lambda: len(api.messages_to(AIKO)) > before)
            assert "under review" in api.messages_to(AIKO)[-1].text

            # staff confirm the national report
            before = len(api.messages_to(STAFF))
            api.send_text(STAFF, STAFF, f"/inbox confirm {from_web.id} first_report "
                                        f"{NOW.date().isoformat()}")
            wait_for(lambda: len(api.messages_to(STAFF)) > before)
            assert api.messages_to(STAFF)[-1].text == say(
                "inbox", "confirmed", "en", id=from_web.id, code="JPN", kind="first_report",
                day=NOW.date().isoformat())
            before = len(api.messages_to(AIKO))
            api.send_text(AIKO, AIKO, "/mystatus")
            wait_for(lambda: len(api.messages_to(AIKO)) > before)
            status = api.messages_to(AIKO)[-1].text
            assert NOW.date().isoformat() in status and "plan.docx" in status
            assert "report.pdf" not in status  # decided: no longer under review
            assert service.stop() == 0
    plan = json.loads(outreach("reminders", "plan", "--days", "1", "--format", "json").output)
    assert [row["state"] for row in plan] == []
    figures = json.loads(outreach("status", "--format", "json").output)
    assert "JPN" not in figures["non_reporting"]
