"""Up to K SMTP connections used at once, for the dispatcher's window (OUTREACH_MAIL_WINDOW).

Each connection is an `SmtpSender` of its own (its dialogue, its one reconnect, the uncertain
case of bot.channels.email); they share one per-minute pacer (OUTREACH_MAIL_PER_MINUTE is a
cap per sending mailbox, not per connection) and one cache of MIME templates. A connection
opens on its first message, so a window of one message opens one connection.
"""

import asyncio
from types import TracebackType
from typing import Any, Self

from bot.channels.contract import OutgoingEmail, SendResult
from bot.channels.email.config import SmtpConfig
from bot.channels.email.mime_template import TemplateCache
from bot.channels.email.smtp import SmtpSender
from bot.channels.pacing import Pacer

__all__ = ["SmtpPool"]


class SmtpPool:
    """Sends OutgoingEmail over up to `connections` SMTP connections at once."""

    def __init__(
        self,
        config: SmtpConfig,
        mail_from: str,
        reply_to: str | None,
        per_minute: int | None = None,
        *,
        connections: int = 1,
        timeout: float = 30,
        pacer: Pacer | None = None,
        **options: Any,
    ) -> None:
        """`options` go to each SmtpSender (tls_context, local_hostname)."""
        if connections < 1:
            raise ValueError("an SMTP pool needs at least one connection")
        pacer = pacer or (Pacer(per_second=per_minute / 60) if per_minute else None)
        templates = TemplateCache(mail_from, reply_to)
        self.lanes = [SmtpSender(config, mail_from, reply_to, timeout=timeout, pacer=pacer,
                                 templates=templates, **options) for _ in range(connections)]
        self._idle: asyncio.LifoQueue[SmtpSender] | None = None
        self._fatal: SendResult | None = None

    async def __aenter__(self) -> Self:
        self._fatal = None
        self._idle = asyncio.LifoQueue()  # the last used first: it is still connected
        for lane in self.lanes:
            await lane.__aenter__()
            self._idle.put_nowait(lane)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._idle = None
        await asyncio.gather(*(lane.__aexit__(exc_type, exc, traceback)
                               for lane in self.lanes))

    async def send(self, item: OutgoingEmail) -> SendResult:
        """On the first idle connection; a configuration error seen on one (refused login,
        no STARTTLS) answers the rest of the batch without trying the others."""
        if self._idle is None:
            raise RuntimeError("use `async with` around the sends of a batch")
        if self._fatal is not None:
            return self._fatal
        lane = await self._idle.get()
        try:
            result = await lane.send(item)
            self._fatal = self._fatal or lane.fatal
            return result
        finally:
            if self._idle is not None:
                self._idle.put_nowait(lane)
