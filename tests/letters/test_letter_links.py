"""A party answers a letter that expects a response by the signed links of its e-mail: the
link shows a page in the PoC's language asking to confirm (a mail scanner's GET records
nothing), the POST records the party's response once; a tampered signature, a link of a
message that is no letter and an expired link record nothing. On both backends."""

import re
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.channels.contract import OutgoingEmail
from bot.delivery.answer_kinds import LETTER
from bot.delivery.answer_links import urls
from bot.delivery.dispatcher import Dispatcher, LinkSettings
from storage.letters import LetterResponse
from tests.support.letters import SENT, write_letter
from tests.support.outbox import ScriptedSender, add_poc
from tests.support.web import SECRET, Site, assert_safe, delivery_to, site_at


@pytest.fixture
async def site(engine: Engine) -> AsyncIterator[Site]:
    async with site_at(engine, SENT, reply_link_days=30) as served:
        yield served


async def mailed_links(engine: Engine, base: str, to: str) -> dict[str, str]:
    """The letter sent by the dispatcher; answer -> the link the e-mail to `to` carries."""
    email = ScriptedSender()
    await Dispatcher(engine=engine, email=email, telegram=None, owner="test-1",
                     clock=lambda: SENT,
                     links=LinkSettings(public_url=base, secret=SECRET)).run_once()
    [mail] = [item for item in email.sent if isinstance(item, OutgoingEmail) and to in item.to]
    pattern = r"https?://\S+/letter-answer/\d+/\w+/[0-9a-f]{32}"
    links = re.findall(pattern, mail.text)
    assert links and all(f'href="{link}"' in mail.html for link in links)
    return {re.findall(r"/letter-answer/\d+/(\w+)/", link)[0]: link for link in links}


def stored(session: Session) -> list[tuple[int, str, str]]:
    session.expire_all()
    return [(r.party_id, r.kind, r.channel) for r in session.exec(select(LetterResponse))]


async def test_the_link_asks_to_confirm_in_the_pocs_language_and_the_post_records_once(
    site: Site, engine: Engine, session: Session
) -> None:
    written = write_letter(session, language="zh")
    links = await mailed_links(engine, site.base, "iaea@example.org")
    assert sorted(links) == ["promise", "responded"]
    site.clock.now = SENT + timedelta(days=3)
    async with httpx.AsyncClient() as client:
        page = await client.get(links["responded"])
        assert stored(session) == []  # GET: nothing
        done = await client.post(links["responded"])
        again = await client.post(links["responded"])
    assert page.status_code == 200 and done.status_code == again.status_code == 200
    assert_safe(page)
    assert '<html lang="zh"' in page.text and "我们的答复已发送" in page.text
    assert '<form method="post">' in page.text
    assert "谢谢；您的答复已记录，并已通知秘书处。" in done.text  # noqa: RUF001
    assert stored(session) == [(written.parties["IAEA"], "response", "email")]


async def test_a_promise_by_link_names_its_date(
    site: Site, engine: Engine, session: Session
) -> None:
    written = write_letter(session, language="fr")
    links = await mailed_links(engine, site.base, "ken@example.org")
    async with httpx.AsyncClient() as client:
        done = await client.post(links["promise"])
    assert done.status_code == 200 and "2 juillet 2026" in done.text
    assert stored(session) == [(written.parties["KEN"], "promise", "email")]


async def test_a_tampered_or_foreign_link_is_refused_and_records_nothing(
    site: Site, engine: Engine, session: Session
) -> None:
    write_letter(session, language="fr")
    links = await mailed_links(engine, site.base, "opcw@example.org")
    tampered = links["promise"][:-4] + ("0000" if not links["promise"].endswith("0000")
                                        else "1111")
    swapped = links["promise"].replace("/promise/", "/responded/")
    other = add_poc(session, "FRA", "Claire Example-Test", "claire@example.org")
    reminder = delivery_to(session, other)  # a reminder about reporting: no letter
    foreign = urls(LETTER, site.base, SECRET, reminder)["responded"]
    async with httpx.AsyncClient() as client:
        answers = [await client.get(tampered), await client.post(tampered),
                   await client.post(swapped), await client.get(foreign),
                   await client.post(foreign)]
    assert [a.status_code for a in answers] == [404] * 5
    assert "This link is not valid" in answers[0].text
    assert stored(session) == []


async def test_an_expired_link_says_so_in_the_pocs_language_and_records_nothing(
    site: Site, engine: Engine, session: Session
) -> None:
    write_letter(session, language="ru")
    links = await mailed_links(engine, site.base, "interpol@example.org")
    site.clock.now = SENT + timedelta(days=31)
    async with httpx.AsyncClient() as client:
        page = await client.get(links["responded"])
        post = await client.post(links["responded"])
    assert page.status_code == post.status_code == 410
    assert "Срок действия этой ссылки истёк" in post.text
    assert stored(session) == []
