"""The service's HTTP application served in-process for the web specs, at a clock the spec
holds, and what every answer of it must carry."""

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import httpx
from sqlalchemy import Engine
from sqlmodel import Session, select
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets

from bot.web.server import build_web_application
from storage import outbox
from storage.inbox.store import DEFAULT_MAX_BYTES
from storage.outbox import Channel, Delivery, Recipient
from storage.reminders import REPLY_LINK_DAYS
from tests.support.outbox import NOW

SECRET = "web-spec-secret"
SAFETY_HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
}


async def serve(engine: Engine, secret: str | None = SECRET,
                clock: Callable[[], datetime] = lambda: NOW,
                reply_link_days: int = REPLY_LINK_DAYS, data_dir: Path | None = None,
                upload_max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[HTTPServer, str]:
    """The application on a free local port; the server (to stop) and its base URL.
    With `data_dir`, the upload page too."""
    sockets = bind_sockets(0, "127.0.0.1")
    server = HTTPServer(build_web_application(engine, secret, clock,
                                              reply_link_days=reply_link_days,
                                              data_dir=data_dir,
                                              upload_max_bytes=upload_max_bytes))
    server.add_sockets(sockets)
    return server, f"http://127.0.0.1:{sockets[0].getsockname()[1]}"


@dataclass
class MovableClock:
    """The clock the served pages read; a spec moves it (a link found again weeks later)."""

    now: datetime

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Site:
    base: str
    clock: MovableClock


@asynccontextmanager
async def site_at(engine: Engine, now: datetime, reply_link_days: int = REPLY_LINK_DAYS,
                  data_dir: Path | None = None, upload_max_bytes: int = DEFAULT_MAX_BYTES,
                  ) -> AsyncIterator[Site]:
    """The application served (see serve) at a clock starting at `now`, stopped after."""
    clock = MovableClock(now)
    server, base = await serve(engine, clock=clock, reply_link_days=reply_link_days,
                               data_dir=data_dir, upload_max_bytes=upload_max_bytes)
    try:
        yield Site(base, clock)
    finally:
        server.stop()
        await server.close_all_connections()


def delivery_to(session: Session, poc_id: int, kind: str = "reminder",
                template: str = "reminder_first_report") -> int:
    """A message by e-mail to the PoC (a reminder, as the sweep queues it, unless said),
    queued at NOW."""
    message = outbox.enqueue(session=session, kind=kind, template=template, context={},
                             audience="test", recipients=[Recipient(poc_id, Channel.EMAIL)],
                             created_by="test", now=NOW)
    session.commit()
    delivery = session.exec(select(Delivery).where(Delivery.message_id == message.id)).one()
    assert delivery.id is not None
    return delivery.id


def assert_safe(answer: httpx.Response) -> None:
    """The security headers every answer carries, and no server version."""
    for name, value in SAFETY_HEADERS.items():
        assert answer.headers.get(name) == value, (answer.request.url.path, name)
    assert "server" not in answer.headers
    policy = answer.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert "form-action 'self'" in policy and "unsafe-inline" not in policy
