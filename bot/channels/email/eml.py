"""Without SMTP (the embedded default): each e-mail becomes <folder>/<delivery id>.eml, written
once and atomically, so a crash or a second dispatcher never leaves half a file or two."""

import asyncio
import contextlib
import logging
import os
import tempfile
from pathlib import Path

from bot.channels.contract import NothingToOpen, OutgoingEmail, SendResult
from bot.channels.email.mime import build_mime, needs_smtputf8, recipient_addresses, wire_bytes
from bot.settings import Settings

__all__ = ["EmlFileSender"]

log = logging.getLogger(__name__)


class EmlFileSender(NothingToOpen):
    """Without SMTP: each message becomes <folder>/<delivery_id>.eml, written once."""

    def __init__(
        self,
        folder: Path,
        *,
        mail_from: str = str(Settings.model_fields["mail_from"].default),
        reply_to: str | None = None,
    ) -> None:
        self.folder = folder
        self._mail_from = mail_from
        self._reply_to = reply_to

    def path_for(self, delivery_id: int) -> Path:
        return self.folder / f"{delivery_id}.eml"

    async def send(self, item: OutgoingEmail) -> SendResult:
        try:
            message = build_mime(item, self._mail_from, self._reply_to)
        except ValueError as exc:
            return SendResult.permanent(f"the message could not be built: {exc}")
        data = wire_bytes(message, needs_smtputf8(recipient_addresses(item)))
        try:
            written = await asyncio.to_thread(self._write_once, item.delivery_id, data)
        except OSError as exc:
            log.warning("delivery %d: .eml not written: %s", item.delivery_id,
                        exc.strerror or type(exc).__name__)
            return SendResult.transient(
                f"could not write the e-mail file: {exc.strerror or type(exc).__name__}")
        if written:
            log.info("delivery %d: written to the mail folder", item.delivery_id)
        return SendResult.sent()

    def _write_once(self, delivery_id: int, data: bytes) -> bool:
        target = self.path_for(delivery_id)
        if target.exists():
            return False
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=self.folder, prefix=f".{delivery_id}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            try:
                os.link(temporary, target)  # atomic, and never replaces a file already there
            except FileExistsError:
                return False
            except OSError:  # a file system without hard links
                if target.exists():
                    return False
                os.replace(temporary, target)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
        return True
