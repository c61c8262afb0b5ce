"""The service's HTTP pages: /healthz for monitors, and the signed links PoCs follow from an
e-mail (/unsubscribe; the answers' pages are bot.web.answers). Every process of `outreach
run` serves them (bot.web.server).

A link's signature is checked before anything is read or written (bot.web.links); a GET
only shows a page with a button, a POST acts, because mail scanners open every link and must
not answer for the PoC. Logs name ids and answers only, never a person.
"""

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Engine, text

from bot.render.templates import render
from bot.web.links import unsubscribe_signature_valid
from bot.web.safety import SafeHeaders
from storage import pocs
from storage.db import session_scope
from storage.parties import UN_LANGUAGES

__all__ = ["HealthHandler", "UnsubscribeHandler"]

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


class HealthHandler(SafeHeaders):
    def initialize(self, engine: Engine) -> None:
        self.engine = engine

    def _database_answers(self) -> bool:
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception as error:  # any failure means "not healthy"; the type says why
            log.warning("health check: database unreachable (%s)", type(error).__name__)
            return False
        return True

    async def get(self) -> None:
        # in a worker thread: a database that does not answer must not stall the loop
        loop = asyncio.get_running_loop()
        if await loop.run_in_executor(None, self._database_answers):
            self.finish({"status": "ok"})
            return
        self.set_status(503)
        self.finish({"status": "database unreachable"})


class _SignedLink(SafeHeaders):
    """What both PoC pages share: the database, the links' secret and the clock."""

    def initialize(self, engine: Engine, secret: str | None, clock: Clock) -> None:
        self.engine = engine
        self.secret = secret
        self.clock = clock

    def _reader_language(self) -> str:
        """For a page with no PoC behind it (an invalid link): the browser's first UN
        language, else English."""
        from babel import negotiate_locale

        wanted = [part.split(";")[0].strip().replace("-", "_")
                  for part in self.request.headers.get("Accept-Language", "").split(",")]
        return negotiate_locale([w for w in wanted if w], list(UN_LANGUAGES)) or "en"

    def _page(self, name: str, language: str, status: int = 200, **values: object) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(render(name, language, **values))


UNSUBSCRIBE_PAGE = "web/unsubscribe.html.j2"


class UnsubscribeHandler(_SignedLink):
    """One-click unsubscribe (RFC 8058): GET shows a confirmation, POST acts."""

    def _valid(self, poc_id: str, signature: str) -> bool:
        return self.secret is not None and unsubscribe_signature_valid(
            self.secret, int(poc_id), signature)

    def _poc_language(self, poc_id: str, signature: str) -> str | None:
        """The PoC's language where the link is valid and its PoC known; None otherwise."""
        if not self._valid(poc_id, signature):
            return None
        with session_scope(self.engine) as session:
            poc = pocs.get(session=session, poc_id=int(poc_id))
            return poc.language if poc else None

    def _invalid(self) -> None:
        self._page(UNSUBSCRIBE_PAGE, self._reader_language(), 404, state="invalid")

    def get(self, poc_id: str, signature: str) -> None:
        language = self._poc_language(poc_id, signature)
        if language is None:
            self._invalid()
            return
        self._page(UNSUBSCRIBE_PAGE, language, state="confirm")

    def post(self, poc_id: str, signature: str) -> None:
        language = self._poc_language(poc_id, signature)
        if language is None:
            self._invalid()
            return
        with session_scope(self.engine) as session:
            opted_out = pocs.opt_out_of_email(session=session, poc_id=int(poc_id),
                                              actor=f"poc:{poc_id}", now=self.clock())
        log.info("poc %s: e-mail unsubscribe (%s)", poc_id,
                 "recorded" if opted_out else "already recorded")
        self._page(UNSUBSCRIBE_PAGE, language, state="done")
