"""A reminder's answer links, followed again and late: the same answer twice is one answer
(one reply, one audit entry, the snooze's end unchanged), and a link older than
OUTREACH_REPLY_LINK_DAYS shows a page in the PoC's language saying it has expired (410) and
changes nothing. Unsubscribe links never expire (RFC 8058). On both backends, at a clock the
spec moves.
"""

from collections.abc import AsyncIterator
from datetime import datetime, timedelta

import httpx
import pytest
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from bot.delivery.answer_kinds import REPLY
from bot.delivery.answer_links import urls
from bot.render.templates import render
from bot.web.links import unsubscribe_url
from storage import pocs
from storage.audit import AuditEntry
from storage.outbox import Delivery
from storage.reminders import REPLY_LINK_DAYS, SNOOZE_DAYS, PocReply, ReplyAnswer, record_reply
from tests.support.outbox import NOW, add_poc
from tests.support.web import SECRET, Site, delivery_to, serve, site_at

LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")


@pytest.fixture
async def site(engine: Engine) -> AsyncIterator[Site]:
    async with site_at(engine, NOW) as served:
        yield served


def stored(session: Session) -> tuple[list[PocReply], list[str]]:
    """The replies, and the audit entries recorded for replies, as stored now."""
    session.expire_all()
    replies = list(session.exec(select(PocReply).order_by(col(PocReply.id))))
    audited = [entry.action for entry in session.exec(select(AuditEntry))
               if entry.entity == "poc_reply"]
    return replies, audited


def sent_at(session: Session, delivery_id: int, when: datetime) -> None:
    delivery = session.get(Delivery, delivery_id)
    assert delivery is not None
    delivery.sent_at = when
    session.add(delivery)
    session.commit()


async def test_the_same_answer_posted_twice_is_one_answer_and_does_not_snooze_again(
    site: Site, session: Session
) -> None:
    poc_id = add_poc(session, "FRA", "Claire Martin-Test", "claire@example.org", language="fr")
    delivery_id = delivery_to(session, poc_id)
    link = urls(REPLY, site.base, SECRET, delivery_id)["snooze"]
    async with httpx.AsyncClient() as client:
        first = await client.post(link)
        site.clock.now = NOW + timedelta(days=25)  # the old link, found again weeks later
        again = await client.post(link)
        other = await client.post(urls(REPLY, site.base, SECRET, delivery_id)["received"])
    assert first.status_code == again.status_code == other.status_code == 200
    assert "27 décembre 2026" in first.text and "27 décembre 2026" in again.text
    replies, audited = stored(session)
    assert [(r.answer, r.at, r.snooze_until) for r in replies] == [
        ("snooze", NOW, NOW + timedelta(days=SNOOZE_DAYS)),
        ("received", NOW + timedelta(days=25), None)]  # another answer is another reply
    assert audited == ["reply_snooze", "reply_received"]


def test_storage_takes_an_answer_once_whoever_records_it(session: Session) -> None:
    poc_id = add_poc(session, "FRA", "Claire Martin-Test", "claire@example.org")
    delivery = session.get(Delivery, delivery_to(session, poc_id))
    assert delivery is not None
    message_id = delivery.message_id
    for channel, at in (("telegram", NOW), ("email", NOW + timedelta(days=3))):
        record_reply(session=session, poc_id=poc_id, message_id=message_id,
                     answer=ReplyAnswer.SNOOZE, channel=channel, now=at)
        session.commit()
    replies, audited = stored(session)
    assert [(r.channel, r.snooze_until) for r in replies] == [
        ("telegram", NOW + timedelta(days=SNOOZE_DAYS))]
    assert audited == ["reply_snooze"]
    # and the database itself refuses a second row, whatever writes it
    session.add(PocReply(poc_id=poc_id, message_id=message_id, answer="snooze",
                         channel="email", at=NOW))
    with pytest.raises(IntegrityError):
        session.commit()
    session.rollback()


async def test_a_link_older_than_the_reply_period_shows_it_expired_and_changes_nothing(
    site: Site, session: Session
) -> None:
    poc_id = add_poc(session, "FRA", "Claire Martin-Test", "claire@example.org", language="fr")
    answered, late = delivery_to(session, poc_id), delivery_to(session, poc_id)
    sent_at(session, late, NOW + timedelta(days=10))  # the period runs from the sending
    answered_link = urls(REPLY, site.base, SECRET, answered)["snooze"]
    late_link = urls(REPLY, site.base, SECRET, late)["received"]
    async with httpx.AsyncClient() as client:
        await client.post(answered_link)
        site.clock.now = NOW + timedelta(days=REPLY_LINK_DAYS, seconds=1)
        shown = await client.get(answered_link)
        reposted = await client.post(answered_link)
        still_open = await client.get(late_link)  # sent 10 days later: not yet expired
        site.clock.now = NOW + timedelta(days=3650)  # years on, unsubscribe still works
        unsubscribed = await client.post(unsubscribe_url(site.base, SECRET, poc_id),
                                         content=b"List-Unsubscribe=One-Click")
    expired_page = render("web/reply.html.j2", "fr", state="expired", until="")
    assert (shown.status_code, reposted.status_code) == (410, 410)
    assert shown.text == reposted.text == expired_page and "expiré" in expired_page
    assert still_open.status_code == 200
    replies, audited = stored(session)
    assert [(r.answer, r.snooze_until) for r in replies] == [
        ("snooze", NOW + timedelta(days=SNOOZE_DAYS))]
    assert audited == ["reply_snooze"]
    assert unsubscribed.status_code == 200
    claire = pocs.get(session=session, poc_id=poc_id)
    assert claire is not None and claire.email_opted_out_at is not None


async def test_the_expired_page_is_in_each_of_the_six_languages(
    engine: Engine, session: Session
) -> None:
    links = {}
    for number, language in enumerate(LANGUAGES):
        poc_id = add_poc(session, "FRA", f"Test Person {number}", f"p{number}@example.org",
                         language=language)
        links[language] = urls(REPLY, "", SECRET, delivery_to(session, poc_id))["received"]
    server, base = await serve(engine, clock=lambda: NOW + timedelta(days=31),
                               reply_link_days=30)  # the period is the setting's
    try:
        async with httpx.AsyncClient() as client:
            pages = {language: await client.post(base + link)
                     for language, link in links.items()}
    finally:
        server.stop()
        await server.close_all_connections()
    texts = set()
    for language, page in pages.items():
        assert page.status_code == 410
        assert f'lang="{language}"' in page.text
        texts.add(page.text.split("<p>")[1])
    assert len(texts) == len(LANGUAGES)  # each says it in its own words
    assert stored(session) == ([], [])


async def test_an_arabic_poc_confirms_and_is_thanked_in_arabic_right_to_left(
    site: Site, session: Session
) -> None:
    poc_id = add_poc(session, "EGY", "Amal Test-Person", "amal@example.org", language="ar")
    link = urls(REPLY, site.base, SECRET, delivery_to(session, poc_id))["received"]
    async with httpx.AsyncClient() as client:
        confirm = await client.get(link)
        thanked = await client.post(link)
    assert confirm.status_code == thanked.status_code == 200
    for page in (confirm.text, thanked.text):
        assert '<html lang="ar" dir="rtl">' in page and "<title>لجنة 1540: " in page
        assert 'lang="en"' not in page and "1540 Committee" not in page
    assert "يرجى تأكيد ردكم على رسالة التذكير" in confirm.text
    assert '<button type="submit">تأكيد</button>' in confirm.text
    assert "<p>شكراً لكم، تم تسجيل إقراركم بالاستلام.</p>" in thanked.text
