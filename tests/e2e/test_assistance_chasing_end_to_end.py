"""The assistance sweep in `outreach run`: once staff turn chasing on, the provider's digest
and the requesting State's follow-up reach each PoC once, by e-mail and Telegram, and
neither a killed, a restarted nor a second process sends anything twice.

Real processes, a real SMTP server on loopback and the Bot API fake, as the reminders' spec.
"""

import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlmodel import Session, select

from storage.assistance import chasing, providers, requests
from storage.assistance.requests import Need, RequestFields
from storage.parties import Party
from tests.e2e.test_reminders_end_to_end import FIRST_SECONDS, TICKS_SECONDS, service_env
from tests.support.fake_bot_api import FakeBotApi
from tests.support.outbox import add_poc
from tests.support.service import running_service, wait_for
from tests.support.smtp_sink import SmtpSink


def days_ago(days: int) -> date:
    """A day before the service's today (it reads the same clock)."""
    return datetime.now(UTC).date() - timedelta(days=days)


def party(session: Session, code: str) -> Party:
    return session.exec(select(Party).where(Party.code == code)).one()


def a_match_a_year_old_and_an_open_request(session: Session) -> None:
    """Kenya's request was matched with the IAEA 400 days ago (its follow-up is due); Peru's
    is open to providers in training, which the IAEA covers (its digest is due). Written at
    the service's own time: the days are counted back from it."""
    now = datetime.now(UTC)
    iaea = providers.register(session=session, party=party(session, "IAEA"),
                              registered_on=days_ago(2000), areas=["training", "op3_ab"],
                              actor="test", now=now)
    for state, received, areas in (("KEN", 500, ("op3_ab",)), ("PER", 20, ("training",))):
        made = requests.add(session=session, party=party(session, state), fields=RequestFields(
            received_on=days_ago(received), channel="template",
            needs=tuple(Need(area) for area in areas)), actor="test", now=now)
        requests.advance(session=session, request=made, to="open", on=days_ago(received),
                         actor="test", now=now)
        if state == "KEN":
            providers.match(session=session, request=made, provider=iaea, on=days_ago(400),
                            actor="test", now=now)
    chasing.set_chasing(session=session, enabled=True, actor="test", now=now)
    session.commit()


def test_digest_and_follow_up_reach_each_poc_once_across_kills_restarts_and_two_processes(
    tmp_path: Path, database_url: str, session: Session
) -> None:
    a_match_a_year_old_and_an_open_request(session)
    add_poc(session, "KEN", "Amina Test", "amina@example.org", chat_id=8201,
            role="assistance")
    add_poc(session, "IAEA", "Ida Test", "ida@example.org", chat_id=8202)
    with SmtpSink() as sink, FakeBotApi() as api:
        env = service_env(sink, api)
        with running_service(tmp_path / "a", database_url, env) as first, \
                running_service(tmp_path / "b", database_url, env) as second:
            first.wait_until_answering()
            second.wait_until_answering()
            wait_for(lambda: len(sink.messages) == 2 and len(api.messages) == 2, FIRST_SECONDS)
            first.process.kill()  # no goodbye: the other one must take over
            first.process.wait()
            second.wait_until_leading()
            time.sleep(TICKS_SECONDS)  # several sweeps and dispatches
            assert second.stop() == 0
        with running_service(tmp_path / "c", database_url, env) as again:
            again.wait_until_answering()
            again.wait_until_leading()
            time.sleep(TICKS_SECONDS)
            assert again.stop() == 0
    assert sorted(m.rcpt_tos[0] for m in sink.messages) == ["amina@example.org",
                                                           "ida@example.org"]
    by_chat = {m.chat_id: m for m in api.messages}
    assert sorted(by_chat) == [8201, 8202]
    assert by_chat[8201].reply_markup is not None  # met / partly met / still needed
    assert "Peru" in by_chat[8202].text
