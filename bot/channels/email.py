"""The e-mail channel: MIME building, an SMTP sender, and the .eml folder used without SMTP.

The SMTP sender keeps one connection for a batch (`async with sender:`), opened on the first
message and reopened once when the server dropped it. It answers every message with a
SendResult and never raises for a delivery's own failure, with one deliberate exception:

A connection that fails after the end of the message data (the final ".") was handed to the
server, before its reply arrived, leaves us not knowing whether the server accepted the
message (RFC 1047). Retrying could deliver it twice, and calling it failed could hide a
delivered message, so `send` raises the contract's `UncertainDelivery` in exactly that case:
the dispatcher records the delivery as `uncertain` (storage.outbox.record_uncertain), where it
waits for a person, like a delivery whose process died while sending. A failure any earlier
(before the server said 354 to DATA, or before our final "." left) never reached the server's
queue, so the message is retried once on a new connection, or reported transient.

Logs name delivery ids only: never an address, a name, the user or the password.
"""

import asyncio
import contextlib
import ipaddress
import logging
import os
import re
import socket
import ssl
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy as email_policy
from email.headerregistry import Address, BaseHeader, HeaderRegistry, UniqueUnstructuredHeader
from email.message import EmailMessage
from email.policy import Policy
from email.utils import format_datetime, parseaddr
from enum import StrEnum
from pathlib import Path
from types import TracebackType
from typing import ClassVar, Literal, Self
from urllib.parse import parse_qsl, unquote, urlsplit

import aiosmtplib

from bot.channels.contract import Outcome, OutgoingEmail, SendResult, UncertainDelivery
from bot.channels.pacing import Pacer
from bot.settings import Settings

__all__ = [
    "EmlFileSender",
    "SmtpConfig",
    "SmtpSender",
    "TlsMode",
    "UncertainDelivery",
    "build_mime",
    "recipient_addresses",
    "sender_from_settings",
]

log = logging.getLogger(__name__)

DEFAULT_PORTS = {"smtp": 587, "smtps": 465}


# --- configuration ------------------------------------------------------------------------


class TlsMode(StrEnum):
    IMPLICIT = "implicit"  # smtps://: TLS from the first byte
    STARTTLS = "starttls"  # smtp:// that must upgrade, or fail
    OPPORTUNISTIC = "opportunistic"  # smtp:// that upgrades when the server offers it
    NONE = "none"  # smtp://...?starttls=never: plaintext (no credentials, or loopback only)


_URL_HINT = "percent-encode / ? # @ : and % in the user name and password"


def _is_loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    tls: TlsMode
    username: str | None = None
    password: str | None = field(default=None, repr=False)

    @property
    def loopback(self) -> bool:
        return _is_loopback(self.host)

    @classmethod
    def from_url(cls, url: str) -> "SmtpConfig":
        """Parse OUTREACH_SMTP_URL. Error messages never repeat the URL (it holds a password).

        smtp://user:pass@host:587 upgrades with STARTTLS; when it carries credentials for a
        host other than loopback the upgrade is mandatory (the password never goes out in
        clear). ?starttls=required makes it mandatory for any host, ?starttls=never turns
        it off (refused with credentials, except on loopback). smtps://user:pass@host:465
        is TLS from the start.
        """
        try:
            parts = urlsplit(url.strip())
            port = parts.port
        except ValueError:
            raise ValueError(
                f"SMTP URL is malformed (is the port a number?); {_URL_HINT}"
            ) from None
        scheme = parts.scheme.lower()
        if scheme not in DEFAULT_PORTS:
            raise ValueError("SMTP URL must start with smtp:// or smtps://")
        if not parts.hostname:
            raise ValueError("SMTP URL has no host name")
        if parts.path not in ("", "/") or parts.fragment:
            raise ValueError(f"SMTP URL has unexpected text after the host; {_URL_HINT}")
        if port == 0:
            raise ValueError("SMTP URL port must be from 1 to 65535")
        username = unquote(parts.username) if parts.username is not None else None
        password = unquote(parts.password) if parts.password is not None else None
        if bool(username) != (password is not None):
            raise ValueError("SMTP URL must give both a user name and a password, or neither")
        host = parts.hostname
        options = dict(parse_qsl(parts.query, keep_blank_values=True))
        unknown = sorted(set(options) - {"starttls"})
        if unknown:
            raise ValueError(f"SMTP URL has unknown options: {', '.join(unknown)} "
                             "(only starttls=auto|required|never is known)")
        starttls = options.get("starttls", "auto").lower()
        if starttls not in ("auto", "required", "never"):
            raise ValueError("SMTP URL: starttls must be auto, required or never")
        if scheme == "smtps":
            if starttls != "auto":
                raise ValueError("SMTP URL: smtps:// is TLS from the start; drop ?starttls=")
            tls = TlsMode.IMPLICIT
        elif starttls == "required" or (
            starttls == "auto" and username and not _is_loopback(host)
        ):
            tls = TlsMode.STARTTLS
        elif starttls == "never":
            tls = TlsMode.NONE
        else:
            tls = TlsMode.OPPORTUNISTIC
        config = cls(host=host, port=port or DEFAULT_PORTS[scheme], tls=tls,
                     username=username or None, password=password if username else None)
        config.check()
        return config

    def check(self) -> None:
        """Refuse a configuration that would send the password unencrypted off this host."""
        if self.username and self.tls is TlsMode.NONE and not self.loopback:
            raise ValueError(
                "SMTP URL would send the password unencrypted to a host other than loopback: "
                "use smtps://, or smtp:// without ?starttls=never"
            )


# --- MIME --------------------------------------------------------------------------------


class _VerbatimHeader(UniqueUnstructuredHeader, BaseHeader):
    """Written as given: never folded or RFC 2047-encoded (a long URL must stay a URL)."""

    max_count: ClassVar[Literal[1]] = 1

    def fold(self, *, policy: Policy) -> str:
        return f"{self.name}: {self}{policy.linesep}"


_HEADERS = HeaderRegistry()
_HEADERS.map_to_type("list-unsubscribe", _VerbatimHeader)
_HEADERS.map_to_type("list-unsubscribe-post", _VerbatimHeader)
# 7bit: the text parts go quoted-printable or base64, so any relay takes them (no 8BITMIME).
_POLICY = email_policy.SMTP.clone(cte_type="7bit", header_factory=_HEADERS)
_WIRE = email_policy.SMTP
_WIRE_UTF8 = email_policy.SMTPUTF8  # only for addresses that need SMTPUTF8


_NOT_IN_ADDRESS = set('<>()[],;:"\\')


def _address(value: str) -> Address:
    """One bare address, with an internationalised domain in its ASCII (IDNA) form.

    A non-ASCII mailbox name stays as it is (it needs SMTPUTF8 on the way).
    """
    text = value.strip()
    username, at, domain = text.rpartition("@")
    if (
        not at
        or not username
        or not domain
        or any(c.isspace() or ord(c) < 32 or c in _NOT_IN_ADDRESS for c in text)
    ):
        raise ValueError("invalid e-mail address")
    if not domain.isascii():
        with contextlib.suppress(UnicodeError):
            domain = domain.encode("idna").decode("ascii")
    return Address(username=username, domain=domain)


def recipient_addresses(mail: OutgoingEmail) -> list[str]:
    """The envelope recipients: every address of the PoC, as written in To:."""
    return [str(_address(address).addr_spec) for address in mail.to]


def _needs_smtputf8(addresses: list[str]) -> bool:
    return not all(address.isascii() for address in addresses)


def build_mime(
    mail: OutgoingEmail, mail_from: str, reply_to: str | None, *, date: datetime | None = None
) -> EmailMessage:
    """The message as sent (and as written to .eml): text and HTML alternatives in UTF-8.

    Raises ValueError for an address that is not one, or an unsubscribe URL that could
    break the header.
    """
    if not mail.to:
        raise ValueError("no recipient address")
    message = EmailMessage(policy=_POLICY)
    message["From"] = mail_from
    message["To"] = [_address(address) for address in mail.to]
    if reply_to:
        message["Reply-To"] = reply_to
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(date or datetime.now(UTC))
    message["Message-ID"] = mail.message_id
    message["Auto-Submitted"] = "auto-generated"
    if mail.unsubscribe_url:
        url = mail.unsubscribe_url
        if not url.isascii() or any(c.isspace() or c in "<>" or ord(c) < 32 for c in url):
            raise ValueError("the unsubscribe URL must be ASCII, without spaces or < >")
        message["List-Unsubscribe"] = f"<{url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(mail.text, subtype="plain", charset="utf-8")
    message.add_alternative(mail.html, subtype="html", charset="utf-8")
    # After the body: making it multipart moves every Content-* header into the first part.
    message["Content-Language"] = mail.language
    return message


def _wire_bytes(message: EmailMessage, smtputf8: bool) -> bytes:
    return message.as_bytes(policy=_WIRE_UTF8 if smtputf8 else _WIRE)


# --- SMTP --------------------------------------------------------------------------------

_ADDRESS_IN_TEXT = re.compile(r"<?[^\s<>@\"']+@[^\s<>\"']+>?")
_QUEUE_ID = (
    re.compile(r"queued as ([A-Za-z0-9]+)", re.IGNORECASE),  # Postfix
    re.compile(r"InternalId=(\d+)"),  # Exchange
    re.compile(r"\bid=([\w.-]+)"),  # Exim
    re.compile(r"\bOK\s+\d+\s+(\S+)\s+-\s+gsmtp"),  # Gmail
)
_LINE_ENDINGS = re.compile(rb"\r\n|\n|\r(?!\n)")
_LEADING_DOT = re.compile(rb"(?m)^\.")


def _server_words(code: int, text: str) -> str:
    """What the server said, for a person: one line, without addresses, not too long."""
    words = " ".join(_ADDRESS_IN_TEXT.sub("<address>", text).split())
    return f"{code} {words}"[:300].rstrip()


def _queue_id(text: str) -> str | None:
    for pattern in _QUEUE_ID:
        found = pattern.search(text)
        if found:
            return found.group(1)[:200]
    return None


def _by_code(code: int, words: str) -> SendResult:
    """5xx: the server will not take it as it is; anything else may pass later."""
    if 500 <= code < 600:
        return SendResult.permanent(words)
    return SendResult.transient(words)


def _cert_error(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    for _ in range(5):
        if seen is None:
            break
        if isinstance(seen, ssl.SSLCertVerificationError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _unreachable(exc: BaseException) -> SendResult:
    cause = exc.__cause__
    if isinstance(exc, TimeoutError | asyncio.TimeoutError):
        detail = "timed out"
    elif isinstance(cause, ConnectionRefusedError):
        detail = "connection refused"
    elif isinstance(cause, socket.gaierror):
        detail = "host name not found"
    elif isinstance(cause, OSError) and cause.strerror:
        detail = cause.strerror.lower()
    else:
        detail = "connection failed"
    return SendResult.transient(f"SMTP server unreachable: {detail}")


class _SetupFailed(Exception):
    """Connecting, upgrading or logging in failed; `fatal` when a person must fix the config."""

    def __init__(self, result: SendResult, fatal: bool = False) -> None:
        super().__init__(result.reason)
        self.result = result
        self.fatal = fatal


class _Dropped(Exception):
    """The connection failed before the end of the data left: nothing was queued."""


class SmtpSender:
    """Sends OutgoingEmail over one SMTP connection per batch (`async with sender:`)."""

    def __init__(
        self,
        config: SmtpConfig,
        mail_from: str,
        reply_to: str | None,
        per_minute: int | None = None,
        timeout: float = 30,
        *,
        tls_context: ssl.SSLContext | None = None,
        pacer: Pacer | None = None,
        local_hostname: str | None = None,
    ) -> None:
        config.check()
        envelope_from = parseaddr(mail_from)[1]
        if "@" not in envelope_from:
            raise ValueError("the From address (OUTREACH_MAIL_FROM) has no e-mail address")
        self._config = config
        self._mail_from = mail_from
        self._envelope_from = str(_address(envelope_from).addr_spec)
        self._reply_to = reply_to
        self._timeout = timeout
        self._tls_context = tls_context
        self._local_hostname = local_hostname
        self._pacer = pacer or (Pacer(per_second=per_minute / 60) if per_minute else None)
        self._smtp: aiosmtplib.SMTP | None = None
        self._fatal: SendResult | None = None  # a config error: the rest of the batch fails too

    async def __aenter__(self) -> Self:
        self._fatal = None
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self._disconnect(polite=exc_type is None)
        self._fatal = None

    async def send(self, item: OutgoingEmail) -> SendResult:
        if self._fatal is not None:
            return self._fatal
        try:
            message = build_mime(item, self._mail_from, self._reply_to)
            recipients = recipient_addresses(item)
        except ValueError as exc:
            log.warning("delivery %d: message not built: %s", item.delivery_id, exc)
            return SendResult.permanent(f"the message could not be built: {exc}")
        if self._pacer is not None:
            await self._pacer.wait()
        result = await self._send_with_one_reconnect(item, message, recipients)
        if result.outcome is Outcome.SENT:
            log.info("delivery %d: sent by SMTP (queue id %s)", item.delivery_id,
                     result.external_id or "none")
        else:
            log.info("delivery %d: %s: %s", item.delivery_id, result.outcome, result.reason)
        return result

    async def _send_with_one_reconnect(
        self, item: OutgoingEmail, message: EmailMessage, recipients: list[str]
    ) -> SendResult:
        for attempt in (1, 2):
            reused = self._smtp is not None and self._smtp.is_connected
            try:
                smtp = await self._connection()
            except _SetupFailed as failure:
                if failure.fatal:
                    self._fatal = failure.result
                return failure.result
            try:
                return await self._transaction(smtp, item, message, recipients)
            except _Dropped as dropped:
                await self._disconnect(polite=False)
                if not reused or attempt == 2:
                    return SendResult.transient(f"SMTP connection lost: {dropped}")
                log.info("delivery %d: SMTP connection was closed; reconnecting",
                         item.delivery_id)
        raise AssertionError("unreachable")  # pragma: no cover

    async def _connection(self) -> aiosmtplib.SMTP:
        if self._smtp is not None and self._smtp.is_connected:
            return self._smtp
        await self._disconnect(polite=False)
        self._smtp = await self._open()
        return self._smtp

    async def _open(self) -> aiosmtplib.SMTP:
        config = self._config
        smtp = aiosmtplib.SMTP(
            hostname=config.host,
            port=config.port,
            use_tls=config.tls is TlsMode.IMPLICIT,
            start_tls=False,  # done below, so that a missing STARTTLS is told apart
            timeout=self._timeout,
            tls_context=self._tls_context,
            local_hostname=self._local_hostname,
        )
        try:
            await smtp.connect()
            await smtp.ehlo()
            if config.tls in (TlsMode.STARTTLS, TlsMode.OPPORTUNISTIC):
                if smtp.supports_extension("starttls"):
                    await smtp.starttls()
                    await smtp.ehlo()
                elif config.tls is TlsMode.STARTTLS:
                    raise _SetupFailed(SendResult.permanent(
                        "the SMTP server does not offer STARTTLS, which the SMTP URL requires "
                        "(use smtps:// or another port)"), fatal=True)
            if config.username is not None:
                if not smtp.supports_extension("auth"):
                    raise _SetupFailed(SendResult.permanent(
                        "the SMTP server does not offer authentication (AUTH) on this "
                        "connection"), fatal=True)
                try:
                    await smtp.login(config.username, config.password or "")
                except aiosmtplib.SMTPAuthenticationError as exc:
                    if 400 <= exc.code < 500:
                        raise _SetupFailed(SendResult.transient(
                            f"SMTP authentication temporarily failed: "
                            f"{_server_words(exc.code, exc.message)}")) from None
                    log.error("SMTP authentication failed (%d); check OUTREACH_SMTP_URL",
                              exc.code)
                    raise _SetupFailed(SendResult.permanent(
                        f"SMTP authentication failed: {_server_words(exc.code, exc.message)}"
                    ), fatal=True) from None
                except (aiosmtplib.SMTPServerDisconnected, aiosmtplib.SMTPTimeoutError,
                        aiosmtplib.SMTPResponseException):
                    raise
                except aiosmtplib.SMTPException:
                    raise _SetupFailed(SendResult.permanent(
                        "SMTP authentication failed: no authentication method in common "
                        "with the server"), fatal=True) from None
        except _SetupFailed:
            smtp.close()
            raise
        except aiosmtplib.SMTPConnectResponseError as exc:  # the greeting was a refusal
            smtp.close()
            words = _server_words(exc.code, exc.message)
            raise _SetupFailed(_by_code(exc.code, f"SMTP server refused the connection: {words}"),
                               fatal=exc.code >= 500) from None
        except (ssl.SSLError, aiosmtplib.SMTPConnectError) as exc:
            smtp.close()
            if _cert_error(exc):
                log.error("the SMTP server's TLS certificate could not be verified")
                raise _SetupFailed(SendResult.permanent(
                    "the SMTP server's TLS certificate could not be verified"), fatal=True
                ) from None
            if isinstance(exc, ssl.SSLError):
                raise _SetupFailed(SendResult.transient(
                    "TLS handshake with the SMTP server failed")) from None
            raise _SetupFailed(_unreachable(exc)) from None
        except aiosmtplib.SMTPResponseException as exc:  # EHLO or STARTTLS refused
            smtp.close()
            words = _server_words(exc.code, exc.message)
            raise _SetupFailed(_by_code(exc.code, f"SMTP server refused the session: {words}"),
                               fatal=exc.code >= 500) from None
        except (aiosmtplib.SMTPException, OSError) as exc:  # dropped or silent while setting up
            smtp.close()
            raise _SetupFailed(_unreachable(exc)) from None
        return smtp

    async def _disconnect(self, polite: bool) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        if polite and smtp.is_connected:
            with contextlib.suppress(aiosmtplib.SMTPException, OSError):
                await smtp.quit(timeout=min(self._timeout, 5.0))
        smtp.close()

    async def _reset(self, smtp: aiosmtplib.SMTP) -> None:
        """Abandon the transaction so that the next message starts clean."""
        try:
            await smtp.rset()
        except (aiosmtplib.SMTPException, OSError):
            await self._disconnect(polite=False)

    async def _transaction(
        self,
        smtp: aiosmtplib.SMTP,
        item: OutgoingEmail,
        message: EmailMessage,
        recipients: list[str],
    ) -> SendResult:
        """MAIL, RCPT for each address, DATA. Raises _Dropped before the data's end left."""
        smtputf8 = _needs_smtputf8([self._envelope_from, *recipients])
        encoding = "ascii"
        mail_options: list[str] = []
        if smtputf8:
            if not smtp.supports_extension("smtputf8"):
                return SendResult.permanent(
                    "the SMTP server does not accept internationalised addresses (SMTPUTF8)")
            encoding = "utf-8"
            mail_options.append("SMTPUTF8")
            if smtp.supports_extension("8bitmime"):
                mail_options.append("BODY=8BITMIME")
        data = _wire_bytes(message, smtputf8)
        try:
            try:
                await smtp.mail(self._envelope_from, options=mail_options, encoding=encoding)
            except aiosmtplib.SMTPSenderRefused as exc:
                if exc.code == 421:
                    raise _Dropped("the server is closing the connection") from None
                await self._reset(smtp)
                words = _server_words(exc.code, exc.message)
                return _by_code(exc.code, f"{words} (the server refused the sender)")

            accepted = 0
            refusals: list[tuple[int, str]] = []
            for recipient in recipients:
                try:
                    await smtp.rcpt(recipient, encoding=encoding)
                    accepted += 1
                except aiosmtplib.SMTPRecipientRefused as exc:
                    if exc.code == 421:
                        raise _Dropped("the server is closing the connection") from None
                    refusals.append((exc.code, exc.message))
            if not accepted:
                await self._reset(smtp)
                return self._all_refused(refusals)

            reply = await smtp.execute_command(b"DATA")
            if reply.code == 421:
                raise _Dropped("the server is closing the connection")
            if reply.code != 354:
                await self._reset(smtp)
                return _by_code(reply.code, _server_words(reply.code, reply.message))
            protocol = smtp.protocol
            if protocol is None:
                raise _Dropped("closed before the message was sent")
            payload = _LEADING_DOT.sub(b"..", _LINE_ENDINGS.sub(b"\r\n", data))
            if not payload.endswith(b"\r\n"):
                payload += b"\r\n"
            protocol.write(payload + b".\r\n")  # raises SMTPServerDisconnected before writing
        except (aiosmtplib.SMTPServerDisconnected, aiosmtplib.SMTPTimeoutError, OSError) as exc:
            detail = "timed out" if isinstance(exc, TimeoutError) else "closed by the server"
            raise _Dropped(detail) from None
        except aiosmtplib.SMTPResponseException as exc:  # a reply that makes no sense
            await self._disconnect(polite=False)
            return SendResult.transient(
                f"unexpected SMTP reply: {_server_words(exc.code, exc.message)}")

        # The end of the data has left: from here on, a failure means we cannot know.
        try:
            final = await protocol.read_response(timeout=self._timeout)
        except (aiosmtplib.SMTPException, OSError) as exc:
            await self._disconnect(polite=False)
            what = "no reply in time" if isinstance(exc, TimeoutError) else "connection lost"
            log.warning("delivery %d: uncertain: %s after the message data was sent",
                        item.delivery_id, what)
            raise UncertainDelivery(
                f"SMTP {what} after the message was handed to the server: it may or may not "
                "have been accepted; check with the recipient before resending"
            ) from None
        if final.code == 250:
            if refusals:
                log.info("delivery %d: %d of %d addresses refused", item.delivery_id,
                         len(refusals), len(recipients))
            return SendResult.sent(external_id=_queue_id(final.message))
        if final.code == 421:
            await self._disconnect(polite=False)
        return _by_code(final.code, _server_words(final.code, final.message))

    @staticmethod
    def _all_refused(refusals: list[tuple[int, str]]) -> SendResult:
        # Any temporary refusal makes the whole message worth retrying.
        temporary = [r for r in refusals if 400 <= r[0] < 500]
        code, text = (temporary or refusals)[0]
        words = _server_words(code, text)
        if len(refusals) > 1:
            words = f"{words} (all {len(refusals)} addresses refused)"
        return _by_code(code, words)


# --- .eml folder -------------------------------------------------------------------------


class EmlFileSender:
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

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        return None

    def path_for(self, delivery_id: int) -> Path:
        return self.folder / f"{delivery_id}.eml"

    async def send(self, item: OutgoingEmail) -> SendResult:
        try:
            message = build_mime(item, self._mail_from, self._reply_to)
        except ValueError as exc:
            return SendResult.permanent(f"the message could not be built: {exc}")
        data = _wire_bytes(message, _needs_smtputf8(recipient_addresses(item)))
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


def sender_from_settings(settings: Settings) -> SmtpSender | EmlFileSender:
    url = settings.smtp_url.get_secret_value().strip() if settings.smtp_url else ""
    if not url:
        return EmlFileSender(settings.data_dir / "outbox-mail", mail_from=settings.mail_from,
                             reply_to=settings.reply_to)
    return SmtpSender(SmtpConfig.from_url(url), settings.mail_from, settings.reply_to,
                      per_minute=settings.mail_per_minute)
