"""A requesting State answers the assistance follow-up by the signed links of its e-mail: the
link shows a page in the PoC's language asking to confirm (a mail scanner's GET records
nothing), the POST records the answer once (audited); a tampered signature, a link of another
message and an expired link record nothing. On both backends, at a clock the spec moves.
"""

import re
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.channels.contract import OutgoingEmail
from bot.delivery.answer_kinds import ASSISTANCE
from bot.delivery.answer_links import urls
from bot.delivery.dispatcher import Dispatcher, LinkSettings
from storage.assistance import feedback
from storage.audit import AuditEntry
from storage.outbox import Delivery
from tests.support.assistance_follow_up import LATER, follow_up_deliveries, queue_follow_up
from tests.support.outbox import ScriptedSender, add_poc
from tests.support.web import SECRET, Site, assert_safe, delivery_to, site_at


@pytest.fixture
async def site(engine: Engine) -> AsyncIterator[Site]:
    async with site_at(engine, LATER, reply_link_days=30) as served:
        yield served


async def mailed_links(engine: Engine, base: str) -> dict[str, str]:
    """The follow-up sent by the dispatcher; answer -> the link its e-mail text carries."""
    email = ScriptedSender()
    await Dispatcher(engine=engine, email=email, telegram=None, owner="test-1",
                     clock=lambda: LATER,
                     links=LinkSettings(public_url=base, secret=SECRET)).run_once()
    [mail] = [item for item in email.sent if isinstance(item, OutgoingEmail)]
    found = re.findall(r"https?://\S+/assistance-answer/\d+/(\w+)/[0-9a-f]{32}", mail.text)
    links = re.findall(r"https?://\S+/assistance-answer/\d+/\w+/[0-9a-f]{32}", mail.text)
    assert all(f'href="{link}"' in mail.html for link in links)
    return dict(zip(found, links, strict=True))


def audited(session: Session) -> int:
    session.expire_all()
    return sum(1 for entry in session.exec(select(AuditEntry))
               if entry.entity == "assistance_request" and entry.action == "feedback")


async def test_the_link_asks_to_confirm_in_the_pocs_language_and_the_post_records_once(
    site: Site, engine: Engine, session: Session
) -> None:
    poc = add_poc(session, "KEN", "Wanjiru Example-Test", "wanjiru@example.org",
                  language="zh", role="assistance")
    request_id = queue_follow_up(session)
    links = await mailed_links(engine, site.base)
    assert sorted(links) == ["met", "partly_met", "still_needed"]
    site.clock.now = LATER + timedelta(days=3)
    async with httpx.AsyncClient() as client:
        page = await client.get(links["still_needed"])
        assert feedback.answers(session=session, request_id=request_id) == []  # GET: nothing
        done = await client.post(links["still_needed"])
        again = await client.post(links["still_needed"])
    assert page.status_code == 200 and done.status_code == again.status_code == 200
    assert_safe(page)
    assert '<html lang="zh"' in page.text and "仍需援助" in page.text
    assert f"援助请求{request_id}的答复" in page.text and "<form method=\"post\">" in page.text
    assert "谢谢；您的答复已记录，并已告知秘书处。" in done.text  # noqa: RUF001
    [answer] = feedback.answers(session=session, request_id=request_id)
    assert (answer.poc_id, answer.answer, answer.channel) == (poc, "still_needed", "email")
    assert audited(session) == 1


async def test_a_tampered_or_foreign_link_is_refused_and_records_nothing(
    site: Site, engine: Engine, session: Session
) -> None:
    add_poc(session, "KEN", "Wanjiru Example-Test", "wanjiru@example.org", language="fr",
            role="assistance")
    request_id = queue_follow_up(session)
    links = await mailed_links(engine, site.base)
    tampered = links["met"][:-4] + ("0000" if not links["met"].endswith("0000") else "1111")
    swapped = links["met"].replace("/met/", "/partly_met/")  # the signature is of "met"
    reminder = delivery_to(session, _poc_of(session))  # a reminder to the same PoC
    foreign = urls(ASSISTANCE, site.base, SECRET, reminder)["met"]  # not a follow-up
    async with httpx.AsyncClient() as client:
        answers = [await client.get(tampered), await client.post(tampered),
                   await client.post(swapped), await client.get(foreign),
                   await client.post(foreign)]
    assert [a.status_code for a in answers] == [404] * 5
    assert "Ce lien n'est pas valide" not in answers[0].text  # no PoC known: browser's language
    assert "This link is not valid" in answers[0].text
    assert feedback.answers(session=session, request_id=request_id) == []
    assert audited(session) == 0


async def test_an_expired_link_says_so_in_the_pocs_language_and_records_nothing(
    site: Site, engine: Engine, session: Session
) -> None:
    add_poc(session, "KEN", "Wanjiru Example-Test", "wanjiru@example.org", language="ru",
            role="assistance")
    request_id = queue_follow_up(session)
    links = await mailed_links(engine, site.base)
    site.clock.now = LATER + timedelta(days=31)
    async with httpx.AsyncClient() as client:
        page = await client.get(links["met"])
        post = await client.post(links["met"])
    assert page.status_code == post.status_code == 410
    assert "Срок действия этой ссылки истек" in post.text
    assert feedback.answers(session=session, request_id=request_id) == []


def _poc_of(session: Session) -> int:
    delivery = session.get(Delivery, follow_up_deliveries(session)["email"])
    assert delivery is not None
    return delivery.poc_id
