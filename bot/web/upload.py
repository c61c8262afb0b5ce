"""A PoC sends a document through the signed page its e-mail links to:
/upload/<poc id>/<purpose>/<issued YYYYMMDD>/<signature> (bot.web.links.upload_url).

The signature covers the PoC, the purpose and the day, so a link works for its PoC and
purpose only; it is checked before anything is read (404 otherwise), and a link older than
OUTREACH_REPLY_LINK_DAYS shows the expired page (410). GET shows the form in the PoC's
language; POST (multipart/form-data, field "document") checks the file by its content
(storage.inbox.detect) and its size (OUTREACH_UPLOAD_MAX_BYTES) and records it for the PoC's
own State or organisation, audited as "poc:<id>"; staff are told by the chat's inbox tick.
A refused file shows the form again with a sentence saying why (400 or 413), keeping
nothing. Comments on a draft matrix (purpose matrix_comments) are taken only while a review
of the PoC's State awaits its answer: otherwise the page says so (409) and keeps nothing.
The file is never shown back, served or rendered. Logs name ids only.

/letter-upload/<poc id>/<letter id>/<issued YYYYMMDD>/<signature>
(bot.web.links.letter_upload_url, in a letter's e-mail and its reminders): the same page for
a response to that letter (LetterUploadHandler). The signature covers the PoC, the letter
and the day, so another letter's or another PoC's link is refused (404), as is a letter
that was not written to the PoC's State or organisation. The document received names the
letter; while staff review it the party's reminders of that letter wait.
"""

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session

from bot.web.handlers import Clock, _SignedLink
from bot.web.links import letter_upload_signature_valid, upload_signature_valid
from storage import letters, pocs
from storage.db import session_scope
from storage.inbox import store
from storage.inbox.model import InboxChannel, InboxStatus, Purpose
from storage.matrices import reviews
from storage.parties import Party
from storage.party_names import party_name

__all__ = ["LetterUploadHandler", "UploadHandler"]

log = logging.getLogger(__name__)

FORM_PAGE = "inbox/upload.html.j2"
DONE_PAGE = "inbox/upload_done.html.j2"
FIELD = "document"
# a refusal's HTTP status: 400 unless named here
_STATUS = {"inbox_too_large": 413, "inbox_no_pending_review": 409}


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

    def _signed(self, poc_id: str, what: str, issued: str, signature: str) -> bool:
        assert self.secret is not None
        return upload_signature_valid(self.secret, int(poc_id), what, issued, signature)

    def _what(self, what: str) -> tuple[str, int | None]:
        """(the purpose, the letter named) of the link's second part."""
        return Purpose(what).value, None

    def _issued(self, poc_id: str, purpose: str, issued: str, signature: str) -> date | None:
        if self.secret is None or not self._signed(poc_id, purpose, issued, signature):
            return None
        try:
            return datetime.strptime(issued, "%Y%m%d").date()
        except ValueError:
            return None

    def _sender(self, poc_id: int, letter_id: int | None) -> _Sender | None:
        with session_scope(self.engine) as session:
            poc = pocs.get(session=session, poc_id=poc_id)
            party = session.get(Party, poc.party_id) if poc else None
            if poc is None or party is None or poc.status != pocs.PocStatus.ACTIVE:
                return None
            if letter_id is not None and not _written_to(session, letter_id, party):
                return None
            return _Sender(poc.language, party_name(party, poc.language).text)

    def _open(self, poc_id: str, purpose: str, issued: str, signature: str) -> _Sender | None:
        day = self._issued(poc_id, purpose, issued, signature)
        sender = (self._sender(int(poc_id), self._what(purpose)[1]) if day is not None
                  else None)
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
        self._page(FORM_PAGE, sender.language, status, party=sender.party,
                   purpose=self._what(purpose)[0],
                   problem=problem, limit_mb=round(self.max_bytes / 1024 / 1024, 1))

    def _no_review(self, poc_id: int, purpose: str) -> bool:
        """Comments on a draft matrix while no review of the party awaits its answer (the
        page says so at once; the store refuses the file anyway)."""
        if self._what(purpose)[0] != Purpose.MATRIX_COMMENTS:
            return False
        with session_scope(self.engine) as session:
            poc = pocs.get(session=session, poc_id=poc_id)
            return poc is None or reviews.awaiting(session=session,
                                                   party_id=poc.party_id) is None

    def get(self, poc_id: str, purpose: str, issued: str, signature: str) -> None:
        sender = self._open(poc_id, purpose, issued, signature)
        if sender is not None and self._no_review(int(poc_id), purpose):
            self._form(sender, purpose, 409, "inbox_no_pending_review")
        elif sender is not None:
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
        chosen, letter_id = self._what(purpose)
        incoming = store.Incoming(poc_id=int(poc_id), purpose=chosen,
                                  original_name=upload.filename or "",
                                  content=upload.body, channel=InboxChannel.WEB,
                                  letter_id=letter_id)
        try:
            with session_scope(self.engine) as session:
                document = store.receive(session=session, incoming=incoming,
                                         data_dir=self.data_dir, max_bytes=self.max_bytes,
                                         now=self.clock())
                document_id, status = document.id, document.status
        except store.InboxError as error:
            log.info("poc %s: upload refused (%s)", poc_id, error.code)
            self._form(sender, purpose, _STATUS.get(error.code, 400), error.code)
            return
        log.info("poc %s: document %s received by the upload page (%s)", poc_id,
                 document_id, status)
        self._page(DONE_PAGE, sender.language,
                   state="duplicate" if status == InboxStatus.DUPLICATE else "received")


def _written_to(session: Session, letter_id: int, party: Party) -> bool:
    letter = session.get(letters.Letter, letter_id)
    return letter is not None and any(
        found.id == party.id for found in letters.written_to(session=session, letter=letter))


class LetterUploadHandler(UploadHandler):
    """The upload page of one letter's response: /letter-upload/<poc>/<letter>/<day>/<sig>."""

    def _signed(self, poc_id: str, what: str, issued: str, signature: str) -> bool:
        assert self.secret is not None
        return letter_upload_signature_valid(self.secret, int(poc_id), int(what), issued,
                                             signature)

    def _what(self, what: str) -> tuple[str, int | None]:
        return Purpose.LETTER_RESPONSE.value, int(what)
