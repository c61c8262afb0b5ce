"""The SMTP sender: one connection a batch, every reply classified for a person, and the one
case where nobody can know whether the server took the message (see bot.channels.email).

Logs name delivery ids only: never an address, a name, the user or the password.
"""

import asyncio
import contextlib
import logging
import re
import socket
import ssl
from email.utils import parseaddr
from types import TracebackType
from typing import Self

import aiosmtplib
from aiosmtplib.protocol import SMTPProtocol

from bot.channels.contract import Outcome, OutgoingEmail, SendResult, UncertainDelivery
from bot.channels.email.config import SmtpConfig, TlsMode
from bot.channels.email.mime import needs_smtputf8, parse_address, recipient_addresses
from bot.channels.email.mime_template import TemplateCache
from bot.channels.pacing import Pacer
from storage.columns import within

__all__ = ["SmtpSender"]

log = logging.getLogger(__name__)

_ADDRESS_IN_TEXT = re.compile(r"<?[^\s<>@\"']+@[^\s<>\"']+>?")
_QUEUE_ID = (
    re.compile(r"queued as ([A-Za-z0-9]+)", re.IGNORECASE),  # Postfix
    re.compile(r"InternalId=(\d+)"),  # Exchange
    re.compile(r"\bid=([\w.-]+)"),  # Exim
    re.compile(r"\bOK\s+\d+\s+(\S+)\s+-\s+gsmtp"),  # Gmail
)
SERVER_WORDS_MAX = 300  # characters of a server's reply kept in a delivery's last error
_LINE_ENDINGS = re.compile(rb"\r\n|\n|\r(?!\n)")
_LEADING_DOT = re.compile(rb"(?m)^\.")


def _server_words(code: int, text: str) -> str:
    """What the server said, for a person: one line, without addresses, cut visibly if long."""
    words = " ".join(_ADDRESS_IN_TEXT.sub("<address>", text).split())
    return within(f"{code} {words}", SERVER_WORDS_MAX)


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
        templates: TemplateCache | None = None,
    ) -> None:
        config.check()
        envelope_from = parseaddr(mail_from)[1]
        if "@" not in envelope_from:
            raise ValueError("the From address (OUTREACH_MAIL_FROM) has no e-mail address")
        self._config = config
        self._envelope_from = str(parse_address(envelope_from).addr_spec)
        # one MIME build per message and language (mime_template.py); shareable by senders
        self._templates = templates or TemplateCache(mail_from, reply_to)
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

    @property
    def fatal(self) -> SendResult | None:
        """The configuration error that answers the rest of the batch, if one was met."""
        return self._fatal

    async def send(self, item: OutgoingEmail) -> SendResult:
        if self._fatal is not None:
            return self._fatal
        try:
            recipients = recipient_addresses(item)
            data = self._templates.wire(item, needs_smtputf8([self._envelope_from, *recipients]))
        except ValueError as exc:
            log.warning("delivery %d: message not built: %s", item.delivery_id, exc)
            return SendResult.permanent(f"the message could not be built: {exc}")
        if self._pacer is not None:
            await self._pacer.wait()
        result = await self._send_with_one_reconnect(item, data, recipients)
        if result.outcome is Outcome.SENT:
            log.info("delivery %d: sent by SMTP (queue id %s)", item.delivery_id,
                     result.external_id or "none")
        else:
            log.info("delivery %d: %s: %s", item.delivery_id, result.outcome, result.reason)
        return result

    async def _send_with_one_reconnect(
        self, item: OutgoingEmail, data: bytes, recipients: list[str]
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
                return await self._transaction(smtp, item, data, recipients)
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
        data: bytes,
        recipients: list[str],
    ) -> SendResult:
        """MAIL, RCPT for each address, DATA. Raises _Dropped before the data's end left."""
        smtputf8 = needs_smtputf8([self._envelope_from, *recipients])
        if smtputf8 and not smtp.supports_extension("smtputf8"):
            return SendResult.permanent(
                "the SMTP server does not accept internationalised addresses (SMTPUTF8)")
        try:
            refusals = await self._envelope(smtp, recipients, smtputf8)
            if isinstance(refusals, SendResult):
                return refusals
            protocol = await self._hand_over(smtp, data)
            if isinstance(protocol, SendResult):
                return protocol
        except (aiosmtplib.SMTPServerDisconnected, aiosmtplib.SMTPTimeoutError, OSError) as exc:
            detail = "timed out" if isinstance(exc, TimeoutError) else "closed by the server"
            raise _Dropped(detail) from None
        except aiosmtplib.SMTPResponseException as exc:  # a reply that makes no sense
            await self._disconnect(polite=False)
            return SendResult.transient(
                f"unexpected SMTP reply: {_server_words(exc.code, exc.message)}")
        return await self._final_reply(protocol, item, refusals, len(recipients))

    async def _envelope(self, smtp: aiosmtplib.SMTP, recipients: list[str], smtputf8: bool
                        ) -> list[tuple[int, str]] | SendResult:
        """MAIL FROM and RCPT TO: the refused recipients, or the result when none is left."""
        encoding = "utf-8" if smtputf8 else "ascii"
        mail_options: list[str] = []
        if smtputf8:
            mail_options.append("SMTPUTF8")
            if smtp.supports_extension("8bitmime"):
                mail_options.append("BODY=8BITMIME")
        try:
            await smtp.mail(self._envelope_from, options=mail_options, encoding=encoding)
        except aiosmtplib.SMTPSenderRefused as exc:
            if exc.code == 421:
                raise _Dropped("the server is closing the connection") from None
            await self._reset(smtp)
            words = _server_words(exc.code, exc.message)
            return _by_code(exc.code, f"{words} (the server refused the sender)")
        refusals: list[tuple[int, str]] = []
        for recipient in recipients:
            try:
                await smtp.rcpt(recipient, encoding=encoding)
            except aiosmtplib.SMTPRecipientRefused as exc:
                if exc.code == 421:
                    raise _Dropped("the server is closing the connection") from None
                refusals.append((exc.code, exc.message))
        if len(refusals) == len(recipients):
            await self._reset(smtp)
            return self._all_refused(refusals)
        return refusals

    async def _hand_over(self, smtp: aiosmtplib.SMTP, data: bytes
                         ) -> SMTPProtocol | SendResult:
        """DATA, then the message and its final "." written out (not yet answered)."""
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
        return protocol

    async def _final_reply(self, protocol: SMTPProtocol, item: OutgoingEmail,
                           refusals: list[tuple[int, str]], recipients: int) -> SendResult:
        """The server's answer to the message. The end of the data has left: from here on,
        a failure means we cannot know whether it was taken."""
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
                         len(refusals), recipients)
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
