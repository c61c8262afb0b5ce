"""Reminders from `outreach run` to a PoC's inbox and Telegram, and the PoC's answers.

Real processes, a real SMTP server on loopback and the Bot API fake: a policy due now sends
exactly one e-mail and one Telegram message per PoC, answers are recorded, a report stops
the reminders, and neither a restart nor a second process sends anything twice.
"""

import re
import time
import urllib.request
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlmodel import Session, col, select

from storage import reminders, submissions
from storage.parties import Party
from tests.support.fake_bot_api import FakeBotApi
from tests.support.outbox import NOW, add_poc
from tests.support.service import (
    ANSWER_SECONDS,
    WAIT_SECONDS,
    reminders_active,
    running_service,
    wait_for,
)
from tests.support.smtp_sink import SmtpSink

SECRET = "reminders-e2e-secret"
# Working hours all day every day end at 23:59: a reminder swept in the minute before
# midnight (the PoC's time, UTC) waits for 00:00, so the first sends may take a minute more.
FIRST_SECONDS = WAIT_SECONDS + 60
# No event says "a sweep and a dispatch ran and sent nothing": once the process leads, wait
# for several ticks (every 0.3 s and 0.5 s here) before checking that nothing more went out.
TICKS_SECONDS = 1.5


def days_ago(days: int) -> date:
    """A day before the service's today (it reads the same clock), so no policy's "years
    without a report" comes due as the years go by."""
    return datetime.now(UTC).date() - timedelta(days=days)


def only_japan_is_silent(session: Session) -> int:
    """Every State has reported, last year, except Japan, whose id is returned."""
    japan = 0
    for party in session.exec(select(Party).where(Party.kind == "state")):
        assert party.id is not None
        if party.code == "JPN":
            japan = party.id
            continue
        submissions.add(session=session, party_id=party.id, kind="first_report",
                        submitted_on=days_ago(365), symbol="", note="", actor="test",
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
    reminders_active(session)
    japan = only_japan_is_silent(session)
    add_poc(session, "JPN", "Aiko Sato-Test", "aiko@example.org", chat_id=8101, language="en")
    with SmtpSink() as sink, FakeBotApi() as api:
        env = service_env(sink, api)
        with running_service(tmp_path / "first", database_url, env) as service:
            service.wait_until_answering()
            # said once the registry is ready, which may come after /healthz first answers
            wait_for(lambda: ("Reminder policies active (they write to States on their own): "
                              "1 (non-reporting), 2 (no-submission-5-years)")
                     in service.stderr(), FIRST_SECONDS)
            wait_for(lambda: len(sink.messages) == 1 and len(api.messages) == 1, FIRST_SECONDS)
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
            with urllib.request.urlopen(local, timeout=ANSWER_SECONDS) as page:
                assert page.status == 200  # a confirmation page: nothing recorded yet
            assert not any(r.answer == "snooze" for r in replies(session))
            request = urllib.request.Request(local, data=b"", method="POST")
            with urllib.request.urlopen(request, timeout=ANSWER_SECONDS) as page:
                assert page.status == 200
            assert any(r.answer == "snooze" and r.channel == "email" for r in replies(session))
            time.sleep(TICKS_SECONDS)  # several sweeps and dispatches: nothing more goes out
            assert len(sink.messages) == 1 and len(api.messages) == 1
            assert service.stop() == 0

        # Japan reports; a new process sweeps again and writes to nobody
        submissions.add(session=session, party_id=japan, kind="first_report",
                        submitted_on=days_ago(7), symbol="", note="", actor="test",
                        now=NOW)
        session.commit()
        with running_service(tmp_path / "second", database_url, env) as service:
            service.wait_until_answering()
            service.wait_until_leading()
            time.sleep(TICKS_SECONDS)  # several sweeps and dispatches
            assert service.stop() == 0
        assert len(sink.messages) == 1 and len(api.messages) == 1


def replies(session: Session) -> list[reminders.PocReply]:
    session.expire_all()
    return list(session.exec(select(reminders.PocReply).order_by(col(reminders.PocReply.id))))


def test_killed_restarted_and_doubled_processes_send_each_reminder_once(
    tmp_path: Path, database_url: str, session: Session
) -> None:
    reminders_active(session)
    only_japan_is_silent(session)
    add_poc(session, "JPN", "Aiko Sato-Test", "aiko@example.org", chat_id=8101)
    add_poc(session, "JPN", "Kenji Ito-Test", "kenji@example.org", chat_id=8102)
    with SmtpSink() as sink, FakeBotApi() as api:
        env = service_env(sink, api)
        with running_service(tmp_path / "a", database_url, env) as first, \
                running_service(tmp_path / "b", database_url, env) as second:
            first.wait_until_answering()
            second.wait_until_answering()
            wait_for(lambda: len(sink.messages) == 2 and len(api.messages) == 2, FIRST_SECONDS)
            first.process.kill()  # no goodbye: the other one must take over
            first.process.wait()
            second.wait_until_leading()  # it led already, or takes over now
            time.sleep(TICKS_SECONDS)  # several sweeps and dispatches
            assert second.stop() == 0
        with running_service(tmp_path / "c", database_url, env) as again:
            again.wait_until_answering()
            again.wait_until_leading()
            time.sleep(TICKS_SECONDS)
            assert again.stop() == 0
    recipients = sorted(m.rcpt_tos[0] for m in sink.messages)
    assert recipients == ["aiko@example.org", "kenji@example.org"]
    assert sorted(m.chat_id for m in api.messages) == [8101, 8102]
