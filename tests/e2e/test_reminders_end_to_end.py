"""Reminders from `outreach run` to a PoC's inbox and Telegram, and the PoC's answers.

Real processes, a real SMTP server on loopback and the Bot API fake: a policy due now sends
exactly one e-mail and one Telegram message per PoC, answers are recorded, a report stops
the reminders, and neither a restart nor a second process sends anything twice.
"""

import re
import time
import urllib.request
from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlmodel import Session, col, select

from storage import reminders, submissions
from storage.parties import Party
from tests.support.fake_bot_api import FakeBotApi
from tests.support.outbox import NOW, add_poc
from tests.support.service import running_service
from tests.support.smtp_sink import SmtpSink

SECRET = "reminders-e2e-secret"


def wait_for(condition: Callable[[], bool], seconds: float = 25.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def only_japan_is_silent(session: Session) -> int:
    """Every State has reported except Japan, whose id is returned."""
    japan = 0
    for party in session.exec(select(Party).where(Party.kind == "state")):
        assert party.id is not None
        if party.code == "JPN":
            japan = party.id
            continue
        submissions.add(session=session, party_id=party.id, kind="first_report",
                        submitted_on=date(2024, 1, 10), symbol="", note="", actor="test",
                        now=NOW)
    session.commit()
    return japan


def service_env(sink: SmtpSink, api: FakeBotApi) -> dict[str, str]:
    return {
        "OUTREACH_SMTP_URL": sink.url(),
        "OUTREACH_TELEGRAM_TOKEN": FakeBotApi.TOKEN,
        "OUTREACH_TELEGRAM_API_URL": api.base_url,
        "OUTREACH_PUBLIC_URL": "http://127.0.0.1:9",  # replaced by the test's own address
        "OUTREACH_SECRET_KEY": SECRET,
        "OUTREACH_DISPATCH_EVERY_SECONDS": "0.3",
        "OUTREACH_SWEEP_EVERY_SECONDS": "0.5",
        "OUTREACH_LEADER_RETRY_SECONDS": "0.5",
        # any hour, any day: this spec is about sending once, not about office hours
        "OUTREACH_WORKING_HOURS_START": "00:00",
        "OUTREACH_WORKING_HOURS_END": "23:59",
        "OUTREACH_WORKING_DAYS": "[0,1,2,3,4,5,6]",
    }


def test_a_due_reminder_reaches_each_poc_once_and_their_answers_count(
    tmp_path: Path, database_url: str, session: Session
) -> None:
    japan = only_japan_is_silent(session)
    add_poc(session, "JPN", "Aiko Sato-Test", "aiko@example.org", chat_id=8101, language="en")
    with SmtpSink() as sink, FakeBotApi() as api:
        env = service_env(sink, api)
        with running_service(tmp_path / "first", database_url, env) as service:
            service.wait_until_answering()
            wait_for(lambda: len(sink.messages) == 1 and len(api.messages) == 1)
            mail = sink.messages[0].parsed()
            assert "1540" in str(mail["Subject"])
            [chat] = api.messages
            assert chat.chat_id == 8101 and chat.reply_markup is not None

            # the PoC presses "Received" in Telegram
            received = [b["callback_data"] for row in chat.reply_markup["inline_keyboard"]
                        for b in row if b["callback_data"].endswith(":received")]
            api.press_button(8101, 8101, chat.message_id, received[0])
            wait_for(lambda: any(r.answer == "received" and r.channel == "telegram"
                                 for r in replies(session)))

            # and follows the e-mail's "remind me in 30 days" link, then confirms
            text = mail.get_body(("plain",))
            assert text is not None
            [link] = re.findall(r"http://127\.0\.0\.1:9(/reply/\d+/snooze/[0-9a-f]{32})",
                                text.get_content())
            local = service.health_url.removesuffix("/healthz") + link
            with urllib.request.urlopen(local, timeout=5) as page:
                assert page.status == 200  # a confirmation page: nothing recorded yet
            assert not any(r.answer == "snooze" for r in replies(session))
            request = urllib.request.Request(local, data=b"", method="POST")
            with urllib.request.urlopen(request, timeout=5) as page:
                assert page.status == 200
            assert any(r.answer == "snooze" and r.channel == "email" for r in replies(session))
            time.sleep(1.5)  # several sweeps and dispatches: nothing more goes out
            assert len(sink.messages) == 1 and len(api.messages) == 1
            assert service.stop() == 0

        # Japan reports; a new process sweeps again and writes to nobody
        submissions.add(session=session, party_id=japan, kind="first_report",
                        submitted_on=date(2026, 11, 20), symbol="", note="", actor="test",
                        now=NOW)
        session.commit()
        with running_service(tmp_path / "second", database_url, env) as service:
            service.wait_until_answering()
            time.sleep(1.5)
            assert service.stop() == 0
        assert len(sink.messages) == 1 and len(api.messages) == 1


def replies(session: Session) -> list[reminders.PocReply]:
    session.expire_all()
    return list(session.exec(select(reminders.PocReply).order_by(col(reminders.PocReply.id))))


def test_killed_restarted_and_doubled_processes_send_each_reminder_once(
    tmp_path: Path, database_url: str, session: Session
) -> None:
    only_japan_is_silent(session)
    add_poc(session, "JPN", "Aiko Sato-Test", "aiko@example.org", chat_id=8101)
    add_poc(session, "JPN", "Kenji Ito-Test", "kenji@example.org", chat_id=8102)
    with SmtpSink() as sink, FakeBotApi() as api:
        env = service_env(sink, api)
        with running_service(tmp_path / "a", database_url, env) as first, \
                running_service(tmp_path / "b", database_url, env) as second:
            first.wait_until_answering()
            second.wait_until_answering()
            wait_for(lambda: len(sink.messages) == 2 and len(api.messages) == 2)
            first.process.kill()  # no goodbye: the other one must take over
            first.process.wait()
            time.sleep(2.0)
            assert second.stop() == 0
        with running_service(tmp_path / "c", database_url, env) as again:
            again.wait_until_answering()
            time.sleep(1.5)
            assert again.stop() == 0
    recipients = sorted(m.rcpt_tos[0] for m in sink.messages)
    assert recipients == ["aiko@example.org", "kenji@example.org"]
    assert sorted(m.chat_id for m in api.messages) == [8101, 8102]
