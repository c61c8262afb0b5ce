"""What every answer of the service's HTTP endpoint carries (security headers, no server
version), and what its log leaves out (the signatures of the PoCs' links), in-process on the
tornado application `outreach run` serves.
"""

import base64
import hashlib
import logging
import re

import httpx
import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from bot.delivery.answer_kinds import REPLY
from bot.delivery.answer_links import urls
from bot.web.links import unsubscribe_url
from storage.db import make_engine
from tests.support.outbox import add_poc
from tests.support.web import SECRET, assert_safe, delivery_to, serve


def styles_allowed(answer: httpx.Response) -> bool:
    """Whether each <style> of the page is allowed by the CSP's hashes, as a browser checks."""
    policy = answer.headers["content-security-policy"]
    allowed = set(re.findall(r"'sha256-([^']+)'", policy))
    styles = re.findall(r"<style>(.*?)</style>", answer.text, re.DOTALL)
    return bool(styles) and all(
        base64.b64encode(hashlib.sha256(css.encode()).digest()).decode() in allowed
        for css in styles) and " style=" not in answer.text


async def test_every_route_answers_with_security_headers_and_no_server_version(
    engine: Engine, session: Session
) -> None:
    poc_id = add_poc(session, "FRA", "Claire Martin-Test", "claire@example.org", language="fr")
    delivery_id = delivery_to(session, poc_id)
    server, base = await serve(engine)
    try:
        async with httpx.AsyncClient() as client:
            unsubscribe = unsubscribe_url(base, SECRET, poc_id)
            reply = urls(REPLY, base, SECRET, delivery_id)["received"]
            pages = [
                await client.get(unsubscribe),
                await client.get(reply),
                await client.post(reply),
                await client.post(unsubscribe, content=b"List-Unsubscribe=One-Click"),
                await client.post(reply[:-4] + "beef"),  # a forged link
            ]
            others = [
                await client.get(f"{base}/healthz"),
                await client.get(f"{base}/no/such/page"),
                await client.request("DELETE", unsubscribe),  # a method no route takes
            ]
    finally:
        server.stop()
        await server.close_all_connections()
    assert [a.status_code for a in pages + others] == [200, 200, 200, 200, 404, 200, 404, 405]
    for answer in pages + others:
        assert_safe(answer)
    for page in pages:
        assert styles_allowed(page), page.request.url.path


async def test_the_log_names_the_route_and_the_id_never_a_links_signature(
    engine: Engine, session: Session, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    poc_id = add_poc(session, "FRA", "Claire Martin-Test", "claire@example.org")
    delivery_id = delivery_to(session, poc_id)
    server, base = await serve(engine)
    gone = make_engine("sqlite:////nonexistent-folder/for/the/log/spec.sqlite3")
    broken, broken_base = await serve(gone)  # its pages fail: tornado logs the error
    links = [unsubscribe_url(base, SECRET, poc_id),
             *urls(REPLY, base, SECRET, delivery_id).values()]
    try:
        async with httpx.AsyncClient() as client:
            for link in links:
                await client.get(link)
                await client.get(link + "?utm_source=mail")
                await client.get(link[:-1])  # cut by a mail program: no route
            await client.post(links[1])
            await client.post(links[0], content=b"List-Unsubscribe=One-Click")
            failed = await client.get(links[1].replace(base, broken_base))
    finally:
        for each in (server, broken):
            each.stop()
            await each.close_all_connections()
        gone.dispose()
    assert failed.status_code == 500
    logged = "\n".join(logging.Formatter().format(record) for record in caplog.records
                       if not record.name.startswith(("httpx", "httpcore")))  # the client's
    for link in links:
        signature = link.rsplit("/", 1)[1]
        assert signature[:16] not in logged
    assert f"/reply/{delivery_id}/received/" in logged  # the route and the id stay readable
    assert f"/unsubscribe/{poc_id}/" in logged
    assert "Uncaught exception GET /reply/" in logged  # the failure is logged, without it
