"""The service's HTTP pages in-process: health, one-click unsubscribe and the answers to a
reminder by e-mail link, served by the same tornado application `outreach run` serves
(bot.web.server), with the clock the spec holds and no process of its own.

A GET never changes anything (mail scanners open every link); only a POST with a valid
signature does, recorded at the service's clock.
"""

from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets

from bot.delivery.answer_kinds import REPLY
from bot.delivery.answer_links import urls
from bot.web.links import unsubscribe_url
from bot.web.server import build_web_application
from storage import pocs
from storage.audit import AuditEntry
from storage.db import make_engine
from storage.reminders import PocReply
from tests.support.outbox import NOW, add_poc
from tests.support.web import delivery_to

SECRET = "web-spec-secret"


async def serve(engine: Engine, secret: str | None = SECRET) -> tuple[HTTPServer, str]:
    sockets = bind_sockets(0, "127.0.0.1")
    server = HTTPServer(build_web_application(engine, secret, lambda: NOW))
    server.add_sockets(sockets)
    return server, f"http://127.0.0.1:{sockets[0].getsockname()[1]}"


@pytest.fixture
async def site(engine: Engine) -> AsyncIterator[str]:
    server, base = await serve(engine)
    yield base
    server.stop()
    await server.close_all_connections()


def opted_out(session: Session, poc_id: int) -> object:
    """When the PoC unsubscribed from e-mail (None: never), as stored now."""
    session.expire_all()
    stored = pocs.get(session=session, poc_id=poc_id)
    assert stored is not None
    return stored.email_opted_out_at


async def test_health_says_ok_while_the_database_answers(site: str) -> None:
    async with httpx.AsyncClient() as client:
        answer = await client.get(f"{site}/healthz")
    assert answer.status_code == 200 and answer.json() == {"status": "ok"}


async def test_health_says_503_when_the_database_does_not_answer() -> None:
    gone = make_engine("sqlite:////nonexistent-folder/for/the/health/spec.sqlite3")
    server, base = await serve(gone)
    try:
        async with httpx.AsyncClient() as client:
            answer = await client.get(f"{base}/healthz")
    finally:
        server.stop()
        await server.close_all_connections()
        gone.dispose()
    assert answer.status_code == 503 and answer.json() == {"status": "database unreachable"}


async def test_unsubscribe_asks_on_get_and_acts_on_post_at_the_service_clock(
    site: str, session: Session
) -> None:
    poc_id = add_poc(session, "FRA", "Claire Martin-Test", "claire@example.org")
    link = unsubscribe_url(site, SECRET, poc_id)
    async with httpx.AsyncClient() as client:
        asked = await client.get(link)
        assert opted_out(session, poc_id) is None
        forged = await client.post(link[:-4] + "beef", content=b"List-Unsubscribe=One-Click")
        done = await client.post(link, content=b"List-Unsubscribe=One-Click")
    assert asked.status_code == 200 and "Stop these e-mails" in asked.text
    assert forged.status_code == 404
    assert done.status_code == 200 and "no longer receive" in done.text
    assert opted_out(session, poc_id) == NOW
    [entry] = [e for e in session.exec(select(AuditEntry)) if e.actor == f"poc:{poc_id}"]
    assert entry.at == NOW


async def test_unsubscribe_speaks_the_pocs_language(site: str, session: Session) -> None:
    poc_id = add_poc(session, "OMN", "Salim Al-Test", "salim@example.org", language="ar")
    link = unsubscribe_url(site, SECRET, poc_id)
    async with httpx.AsyncClient() as client:
        asked = await client.get(link)
        done = await client.post(link, content=b"List-Unsubscribe=One-Click")
    assert '<html lang="ar" dir="rtl">' in asked.text
    assert "هل تريدون التوقف عن تلقي رسائل البريد الإلكتروني" in asked.text
    assert "Stop these e-mails" not in asked.text and 'lang="en"' not in asked.text
    assert "لن تتلقوا هذه الرسائل الإلكترونية بعد الآن" in done.text
    assert opted_out(session, poc_id) == NOW


async def test_an_invalid_link_answers_in_the_browsers_language(site: str) -> None:
    async with httpx.AsyncClient() as client:
        french = await client.get(f"{site}/unsubscribe/1/{'beef' * 8}",
                                  headers={"Accept-Language": "fr-CH, fr;q=0.9, en;q=0.8"})
        unknown = await client.get(f"{site}/unsubscribe/1/{'beef' * 8}",
                                   headers={"Accept-Language": "de-DE"})
    assert french.status_code == 404 and "Ce lien n'est pas valide" in french.text
    assert unknown.status_code == 404 and "This link is not valid" in unknown.text


async def test_without_a_secret_every_link_is_refused(engine: Engine, session: Session) -> None:
    poc_id = add_poc(session, "FRA", "Claire Martin-Test", "claire@example.org")
    server, base = await serve(engine, secret=None)
    try:
        async with httpx.AsyncClient() as client:
            answer = await client.post(unsubscribe_url(base, SECRET, poc_id), content=b"")
    finally:
        server.stop()
        await server.close_all_connections()
    assert answer.status_code == 404
    assert opted_out(session, poc_id) is None


async def test_a_reminder_answered_by_link_is_confirmed_then_recorded_in_the_pocs_language(
    site: str, session: Session
) -> None:
    poc_id = add_poc(session, "FRA", "Claire Martin-Test", "claire@example.org", language="fr")
    delivery_id = delivery_to(session, poc_id)
    links = urls(REPLY, site, SECRET, delivery_id)
    async with httpx.AsyncClient() as client:
        confirm = await client.get(links["snooze"])
        assert session.exec(select(PocReply)).all() == []  # a GET records nothing
        recorded = await client.post(links["snooze"])
        refused = await client.post(links["received"][:-4] + "beef")
    assert confirm.status_code == 200 and 'lang="fr"' in confirm.text
    assert recorded.status_code == 200 and 'lang="fr"' in recorded.text
    assert "27 décembre 2026" in recorded.text  # 30 days after the service's clock, NOW
    assert refused.status_code == 404
    [reply] = session.exec(select(PocReply)).all()
    assert (reply.poc_id, reply.answer, reply.channel, reply.at) == (
        poc_id, "snooze", "email", NOW)


async def test_an_answer_to_a_message_that_is_not_a_reminder_is_refused(
    site: str, session: Session
) -> None:
    poc_id = add_poc(session, "FRA", "Claire Martin-Test", "claire@example.org")
    delivery_id = delivery_to(session, poc_id, kind="one_off", template="contact_check")
    async with httpx.AsyncClient() as client:
        answer = await client.post(urls(REPLY, site, SECRET, delivery_id)["received"])
    assert answer.status_code == 404
    assert session.exec(select(PocReply)).all() == []
