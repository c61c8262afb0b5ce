"""What the webhook does with hostile posts, in-process on the service's tornado application:
a post without the secret is refused on its headers, before its body is read; a body larger
than any Telegram update is refused without being kept; JSON that is no update (malformed,
or nested deeper than Python's stack) is a 400, never a 500 with a traceback.

The posts are written on a raw socket, as an attacker would: the answer must come while the
client has sent only the first few KiB of what its headers announce.
"""

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from telegram import Update
from telegram.ext import ApplicationBuilder
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets

from bot.chat.webhook import MAX_UPDATE_BYTES, SECRET_HEADER, TelegramWebhook
from bot.web.server import build_web_application
from storage.db import make_engine
from tests.support.outbox import NOW
from tests.support.web import assert_safe

SECRET = "s3cret_webhook-Token"
PATH = "/telegram/updates"
ANNOUNCED = 90 * 1024 * 1024  # what the headers claim; never sent
SENT = 64 * 1024
ANSWER_DEADLINE = 30.0  # generous: the answer needs no more than the headers


class Site:
    def __init__(self, port: int, webhook: TelegramWebhook) -> None:
        self.port = port
        self.webhook = webhook
        self.url = f"http://127.0.0.1:{port}{PATH}"


@pytest.fixture
async def site() -> AsyncIterator[Site]:
    webhook = TelegramWebhook(f"https://bot.example.org{PATH}", SECRET)
    application = ApplicationBuilder().token("123456:TEST-token").updater(None).build()
    webhook.take_updates(application)
    engine = make_engine("sqlite://")  # no page of the spec reads it
    sockets = bind_sockets(0, "127.0.0.1")
    server = HTTPServer(build_web_application(engine, None, lambda: NOW, [webhook.route()]))
    server.add_sockets(sockets)
    yield Site(sockets[0].getsockname()[1], webhook)
    server.stop()
    await server.close_all_connections()
    engine.dispose()


async def raw_post(site: Site, headers: dict[str, str], body: bytes) -> str:
    """Send the headers and `body` (however much the headers announce), then wait for the
    answer's status line, and for the server to close the connection (a reset, when it
    leaves unread what was sent)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", site.port)
    head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    writer.write(f"POST {PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\n{head}\r\n".encode() + body)
    await writer.drain()
    try:
        status = await asyncio.wait_for(reader.readline(), ANSWER_DEADLINE)
        with contextlib.suppress(ConnectionResetError):
            await asyncio.wait_for(reader.read(), ANSWER_DEADLINE)
    finally:
        writer.close()
    return status.decode().strip()


async def test_a_huge_post_without_the_secret_is_refused_before_its_body_is_read(
    site: Site,
) -> None:
    status = await raw_post(site, {"Content-Length": str(ANNOUNCED)}, b"x" * SENT)
    assert status == "HTTP/1.1 403 Forbidden"


async def test_a_body_larger_than_any_update_is_refused_even_with_the_secret(
    site: Site,
) -> None:
    announced = await raw_post(
        site, {"Content-Length": str(ANNOUNCED), SECRET_HEADER: SECRET}, b"x" * SENT)
    chunk = b"x" * SENT
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk)
                      for _ in range(MAX_UPDATE_BYTES // SENT + 1))
    streamed = await raw_post(
        site, {"Transfer-Encoding": "chunked", SECRET_HEADER: SECRET}, chunks)
    assert announced == streamed == "HTTP/1.1 413 Request Entity Too Large"


@pytest.mark.parametrize("body", [b"[" * 100_000, b"[" * 5000 + b"]" * 5000,
                                  b"{not json", b"\xff\xfe", b"[1, 2]"],
                         ids=["unclosed", "deep", "malformed", "not-utf8", "no-update"])
async def test_json_that_is_no_update_is_a_400_with_the_security_headers(
    site: Site, body: bytes
) -> None:
    async with httpx.AsyncClient() as client:
        answer = await client.post(site.url, content=body, headers={SECRET_HEADER: SECRET})
    assert answer.status_code == 400
    assert_safe(answer)


async def test_an_update_with_the_secret_goes_on_the_queue(site: Site) -> None:
    update: dict[str, Any] = {"update_id": 7, "message": {
        "message_id": 1, "date": 0, "chat": {"id": 5550002, "type": "private"},
        "text": "/help"}}
    async with httpx.AsyncClient() as client:
        answer = await client.post(site.url, content=json.dumps(update).encode(),
                                   headers={SECRET_HEADER: SECRET})
        refused = await client.post(site.url, content=b"{}")
    application = site.webhook.application
    assert application is not None
    queued = application.update_queue.get_nowait()
    assert answer.status_code == 200 and isinstance(queued, Update) and queued.update_id == 7
    assert refused.status_code == 403
    assert_safe(answer)
    assert_safe(refused)
