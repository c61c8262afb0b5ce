"""`outreach run` sends what is due on its own, and serves one-click unsubscribe.

The shipped reminder policies stay paused (`reminders_paused`): were they active, the French
PoC would be reminded at start-up whenever the suite runs in working hours, and the sink would
get two messages.
"""

import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from sqlmodel import Session, select

from bot.web.links import unsubscribe_url
from storage import pocs
from storage.outbox import Delivery, OutboxMessage
from tests.support.outbox import add_poc, queue
from tests.support.service import ANSWER_SECONDS, reminders_paused, running_service, wait_for
from tests.support.smtp_sink import SmtpSink

SECRET = "service-test-secret"


def post(url: str, body: bytes) -> tuple[int, str]:
    request = urllib.request.Request(url, data=body, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=ANSWER_SECONDS) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.read().decode()


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=ANSWER_SECONDS) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.read().decode()


def test_the_service_sends_due_deliveries_and_honours_one_click_unsubscribe(
    tmp_path: Path, database_url: str, session: Session
) -> None:
    reminders_paused(session)
    poc_id = add_poc(session, "FRA", "Claire Martin-Test", "claire@example.org")
    queue(session, [poc_id], now=datetime.now(UTC))
    with SmtpSink() as sink, running_service(tmp_path, database_url, {
        "OUTREACH_SMTP_URL": sink.url(),
        "OUTREACH_DISPATCH_EVERY_SECONDS": "0.5",
        "OUTREACH_PUBLIC_URL": "http://127.0.0.1",
        "OUTREACH_SECRET_KEY": SECRET,
    }) as service:
        service.wait_until_answering()
        wait_for(lambda: len(sink.messages) == 1)
        mail = sink.messages[0].parsed()
        base = service.health_url.removesuffix("/healthz")
        link = unsubscribe_url(base, SECRET, poc_id)
        public_link = unsubscribe_url("http://127.0.0.1", SECRET, poc_id)
        assert mail["List-Unsubscribe"] == f"<{public_link}>"

        status, page = get(link)
        assert status == 200 and "Stop these e-mails" in page
        session.expire_all()
        stored = pocs.get(session=session, poc_id=poc_id)
        assert stored is not None and stored.email_opted_out_at is None  # GET changes nothing

        forged = link[:-4] + "beef"
        assert post(forged, b"List-Unsubscribe=One-Click")[0] == 404
        status, page = post(link, b"List-Unsubscribe=One-Click")
        assert status == 200 and "no longer receive" in page
        session.expire_all()
        stored = pocs.get(session=session, poc_id=poc_id)
        assert stored is not None and stored.email_opted_out_at is not None

        queue(session, [poc_id], now=datetime.now(UTC))  # nothing to send: the only channel is gone
        assert service.stop() == 0
    assert len(sink.messages) == 1
    one_off = select(Delivery).join(OutboxMessage).where(OutboxMessage.kind == "one_off")
    assert [d.state for d in session.exec(one_off)] == ["sent"]
