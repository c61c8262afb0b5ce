"""A PoC sends a document through the signed page its e-mail links to:
/upload/<poc id>/<purpose>/<issued YYYYMMDD>/<signature> (bot.web.links.upload_url).

The signature covers the PoC, the purpose and the day, so a link works for its PoC and
purpose only; it is checked before anything is read (404 otherwise), and a link older than
OUTREACH_REPLY_LINK_DAYS shows the expired page (410). GET shows the form in the PoC's
language; POST (multipart/form-data, field "document") checks the file by its content
(storage.inbox.detect) and its size (OUTREACH_UPLOAD_MAX_BYTES) and records it for the PoC's
own State or organisation, audited as "poc:<id>"; staff are told by the chat's inbox tick.
A refused file shows the form again with a sentence saying why (400 or 413), keeping
nothing. The file is never shown back, served or rendered. Logs name ids only.
"""

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine

from bot.web.handlers import Clock, _SignedLink
from bot.web.links import upload_signature_valid
from storage import pocs
from storage.db import session_scope
from storage.inbox import store
from storage.inbox.model import InboxChannel, InboxStatus, Purpose
from storage.parties import Party
from storage.party_names import party_name

__all__ = ["UploadHandler"]

log = logging.getLogger(__name__)

FORM_PAGE = "inbox/upload.html.j2"
DONE_PAGE = "inbox/upload_done.html.j2"
FIELD = "document"


@dataclass(frozen=True)
class _Sender:
    language: str
    party: str


class UploadHandler(_SignedLink):
    def initialize(self, engine: Engine, secret: str | None, clock: Clock,  # type: ignore[override]
                   valid_for: timedelta, data_dir: Path, max_bytes: int) -> None:
        super().initialize(engine, secret, clock)
        self.valid_for = valid_for
        self.data_dir = data_dir
        self.max_bytes = max_bytes

    def _issued(self, poc_id: str, purpose: str, issued: str, signature: str) -> date | None:
        if self.secret is None or not upload_signature_valid(
                self.secret, int(poc_id), purpose, issued, signature):
            return None
        try:
            return datetime.strptime(issued, "%Y%m%d").date()
        except ValueError:
            return None

    def _sender(self, poc_id: int) -> _Sender | None:
        with session_scope(self.engine) as session:
            poc = pocs.get(session=session, poc_id=poc_id)
            party = session.get(Party, poc.party_id) if poc else None
            if poc is None or party is None or poc.status != pocs.PocStatus.ACTIVE:
                return None
            return _Sender(poc.language, party_name(party, poc.language).text)

    def _open(self, poc_id: str, purpose: str, issued: str, signature: str) -> _Sender | None:
        day = self._issued(poc_id, purpose, issued, signature)
        sender = self._sender(int(poc_id)) if day is not None else None
        if day is None or sender is None:
            self._page(DONE_PAGE, self._reader_language(), 404, state="invalid")
            return None
        if self.clock().date() > day + self.valid_for:
            log.info("poc %s: upload refused, the link has expired", poc_id)
            self._page(DONE_PAGE, sender.language, 410, state="expired")
            return None
        return sender

    def _form(self, sender: _Sender, purpose: str, status: int = 200,
              problem: str | None = None) -> None:
        self._page(FORM_PAGE, sender.language, status, party=sender.party, purpose=purpose,
                   problem=problem, limit_mb=round(self.max_bytes / 1024 / 1024, 1))

    def get(self, poc_id: str, purpose: str, issued: str, signature: str) -> None:
        sender = self._open(poc_id, purpose, issued, signature)
        if sender is not None:
            self._form(sender, purpose)

    def post(self, poc_id: str, purpose: str, issued: str, signature: str) -> None:
        sender = self._open(poc_id, purpose, issued, signature)
        if sender is None:
            return
        files = self.request.files.get(FIELD) or []
        if not files:
            self._form(sender, purpose, 400, "inbox_empty")
            return
        upload = files[0]
        incoming = store.Incoming(poc_id=int(poc_id), purpose=Purpose(purpose).value,
                                  original_name=upload.filename or "",
                                  content=upload.body, channel=InboxChannel.WEB)
        try:
            with session_scope(self.engine) as session:
                document = store.receive(session=session, incoming=incoming,
                                         data_dir=self.data_dir, max_bytes=self.max_bytes,
                                         now=self.clock())
                document_id, status = document.id, document.status
        except store.InboxError as error:
            log.info("poc %s: upload refused (%s)", poc_id, error.code)
            self._form(sender, purpose, 413 if error.code == "inbox_too_large" else 400,
                       error.code)
            return
        log.info("poc %s: document %s received by the upload page (%s)", poc_id,
                 document_id, status)
        self._page(DONE_PAGE, sender.language,
                   state="duplicate" if status == InboxStatus.DUPLICATE else "received")
