"""A letter's e-mail, and each of its reminders, carries the PoC's own signed link to the
upload page for a response to that letter; the page keeps the document naming the letter.
A link whose signature is another letter's or another PoC's, or a letter that was not
written to the PoC's party, shows the invalid page (404) and keeps nothing. On both
backends."""

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.channels.contract import OutgoingEmail
from bot.delivery.dispatcher import Dispatcher, LinkSettings
from bot.web.links import letter_upload_url
from scheduler.sweep import sweep
from storage import letters
from storage.inbox.model import ReceivedDocument
from storage.reminders import ReminderPolicy
from tests.support import documents
from tests.support.letters import DUE, SENT, write_letter
from tests.support.outbox import ScriptedSender, add_poc, queue
from tests.support.web import SECRET, Site, assert_safe, site_at

LINK = r"https?://\S+/letter-upload/(\d+)/(\d+)/\d{8}/[0-9a-f]{32}"
REMINDED = datetime(2026, 8, 4, 12, 0, tzinfo=UTC)


@pytest.fixture
async def site(engine: Engine, tmp_path: Path) -> AsyncIterator[Site]:
    async with site_at(engine, SENT, reply_link_days=30, data_dir=tmp_path) as served:
        yield served


async def mailed(engine: Engine, base: str, to: str, now: datetime) -> OutgoingEmail:
    email = ScriptedSender()
    await Dispatcher(engine=engine, email=email, telegram=None, owner="test-1",
                     clock=lambda: now,
                     links=LinkSettings(public_url=base, secret=SECRET)).run_once()
    [mail] = [item for item in email.sent if isinstance(item, OutgoingEmail) and to in item.to]
    return mail


def upload_link(mail: OutgoingEmail) -> tuple[str, int, int]:
    """(the link, its PoC, its letter), the same in the text and the HTML part."""
    [found] = re.finditer(LINK, mail.text)
    assert f'href="{found.group(0)}"' in (mail.html or "")
    return found.group(0), int(found.group(1)), int(found.group(2))


def kept(session: Session) -> list[ReceivedDocument]:
    session.expire_all()
    return list(session.exec(select(ReceivedDocument)))


async def post(url: str, content: bytes = documents.PDF) -> httpx.Response:
    async with httpx.AsyncClient() as client:
        return await client.post(url, files={"document": ("response.pdf", content,
                                                          "application/pdf")})


async def test_the_letter_and_its_reminder_carry_an_upload_link_naming_the_letter(
    site: Site, engine: Engine, session: Session
) -> None:
    written = write_letter(session)
    letter_mail = await mailed(engine, site.base, "opcw@example.org", SENT)
    assert upload_link(letter_mail)[1:] == (written.pocs["OPCW"], written.letter_id)
    policy = session.get(ReminderPolicy, written.policy_id)
    assert policy is not None
    policy.paused = False
    session.add(policy)
    session.commit()
    assert sweep(session=session, now=REMINDED).queued
    reminder = await mailed(engine, site.base, "opcw@example.org", REMINDED)
    assert "no response has been received yet" in reminder.text
    link, poc, letter = upload_link(reminder)
    assert (poc, letter) == (written.pocs["OPCW"], written.letter_id)

    site.clock.now = REMINDED
    async with httpx.AsyncClient() as client:
        form = await client.get(link)
    assert form.status_code == 200
    assert_safe(form)
    assert "Response to a letter of the Chair" in form.text
    done = await post(link)
    assert done.status_code == 200 and "has been received" in done.text
    [document] = kept(session)
    assert (document.party_id, document.purpose, document.letter_id, document.channel) == (
        written.parties["OPCW"], "letter_response", written.letter_id, "web")


async def test_another_letters_or_pocs_link_and_a_letter_not_sent_to_the_party_are_refused(
    site: Site, session: Session
) -> None:
    written = write_letter(session)
    stranger = add_poc(session, "FRA", "Claire Invented", "claire@example.org")
    other = queue(session, [stranger], template="chair_message", now=SENT)
    other_letter = letters.expect_for_message(session=session, outbox_message_id=other.id or 0,
                                              due_on=DUE, actor="test", now=SENT)
    session.commit()
    assert other_letter.id is not None
    own = letter_upload_url(site.base, SECRET, written.pocs["KEN"], written.letter_id,
                            SENT.date())
    swapped_letter = own.replace(f"/{written.letter_id}/", f"/{other_letter.id}/", 1)
    swapped_poc = own.replace(f"/{written.pocs['KEN']}/", f"/{written.pocs['IAEA']}/", 1)
    not_sent = letter_upload_url(site.base, SECRET, written.pocs["KEN"], other_letter.id,
                                 SENT.date())
    for url in (swapped_letter, swapped_poc, not_sent):
        assert url != own
        answer = await post(url)
        assert answer.status_code == 404, url
        assert_safe(answer)
    assert kept(session) == []
    assert (await post(own)).status_code == 200
    assert [d.letter_id for d in kept(session)] == [written.letter_id]

