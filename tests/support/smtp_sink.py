"""A real SMTP server on loopback for specs and benchmarks: aiosmtpd in a thread of its own.

    sink = SmtpSink(user="bot", password="s3cret", tls="starttls")
    sink.start()
    ... SmtpConfig.from_url(sink.url()) ...
    sink.stop()

It records what it receives (envelope and raw bytes) and the connections opened, and can be
told to misbehave: refuse the next messages (4xx or 5xx, at MAIL or after DATA), refuse one
recipient, answer slowly, drop the connection right after the data, close every open
connection, or go away and come back on the same port. TLS uses a throw-away trustme CA;
`client_tls_context()` trusts it.
"""

import asyncio
import socket
import ssl
import threading
import warnings
from collections import deque
from dataclasses import dataclass
from email import message_from_bytes
from email import policy as email_policy
from email.message import EmailMessage
from types import TracebackType
from typing import Any, Literal, Self
from urllib.parse import quote

import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

Stage = Literal["MAIL", "DATA"]
TlsKind = Literal["none", "starttls", "implicit"]

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class ReceivedMessage:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    data: bytes
    tls: bool  # the session was encrypted (STARTTLS or implicit TLS)
    authenticated: bool

    def parsed(self) -> EmailMessage:
        message = message_from_bytes(self.data, policy=email_policy.default)
        assert isinstance(message, EmailMessage)
        return message


class _Handler:
    def __init__(self, sink: "SmtpSink") -> None:
        self.sink = sink

    async def handle_MAIL(
        self, server: SMTP, session: Session, envelope: Envelope, address: str,
        mail_options: list[str],
    ) -> str:
        refusal = self.sink._take_failure("MAIL")
        if refusal is not None:
            return refusal
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str,
        rcpt_options: list[str],
    ) -> str:
        refusal = self.sink.refused_recipients.get(address.lower())
        if refusal is not None:
            return refusal
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        refusal = self.sink._take_failure("DATA")
        if refusal is not None:
            return refusal
        transport = server.transport
        tls = transport is not None and transport.get_extra_info("ssl_object") is not None
        data = envelope.original_content or b""
        queue_id = self.sink._record(ReceivedMessage(
            mail_from=envelope.mail_from or "",
            rcpt_tos=tuple(envelope.rcpt_tos),
            data=data,
            tls=tls,
            authenticated=bool(session.authenticated),
        ))
        if self.sink.delay:
            await asyncio.sleep(self.sink.delay)
        if self.sink._take_drop() and isinstance(transport, asyncio.Transport):
            transport.abort()  # the message is kept, the client never hears so
        return f"250 2.0.0 Ok: queued as {queue_id}"


class _Controller(Controller):
    def __init__(self, sink: "SmtpSink", **kwargs: Any) -> None:
        super().__init__(_Handler(sink), **kwargs)
        self._sink = sink

    def factory(self) -> SMTP:
        with warnings.catch_warnings():  # AUTH without TLS is what loopback specs want
            warnings.simplefilter("ignore", UserWarning)
            server = SMTP(self.handler, **self.SMTP_kwargs)
        self._sink._opened(server)
        return server


class SmtpSink:
    def __init__(
        self,
        *,
        user: str | None = None,
        password: str | None = None,
        tls: TlsKind = "none",
        port: int | None = None,
    ) -> None:
        self.host = HOST
        self.port = port or free_port()
        self.user = user
        self.password = password
        self.tls: TlsKind = tls
        self.delay = 0.0  # seconds before answering each message's data
        self.messages: list[ReceivedMessage] = []
        self.connections = 0  # connections opened by clients (not the controller's probe)
        self.refused_recipients: dict[str, str] = {}
        self._failures: deque[tuple[Stage, str]] = deque()
        self._drops = 0
        self._lock = threading.Lock()
        self._servers: list[SMTP] = []
        self._counting = False
        self._controller: _Controller | None = None
        self._ca: trustme.CA | None = None
        self._server_tls: ssl.SSLContext | None = None
        if tls != "none":
            self._ca = trustme.CA()
            certificate = self._ca.issue_cert(HOST, "localhost")
            self._server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            certificate.configure_cert(self._server_tls)

    # --- running ---

    def start(self) -> None:
        assert self._controller is None, "already running"
        kwargs: dict[str, Any] = {"hostname": HOST, "port": self.port,
                                  "server_hostname": "sink.test", "ident": "smtp-sink"}
        if self.tls == "implicit":
            kwargs["ssl_context"] = self._server_tls
        elif self.tls == "starttls":
            kwargs["tls_context"] = self._server_tls
        if self.user is not None:
            kwargs["authenticator"] = self._authenticate
            kwargs["auth_required"] = True
            # Over STARTTLS, AUTH is offered only once encrypted, as a real relay does.
            kwargs["auth_require_tls"] = self.tls == "starttls"
        controller = _Controller(self, **kwargs)
        self._counting = False
        controller.start()  # opens one probe connection of its own, not counted
        self._counting = True
        self._controller = controller

    def stop(self) -> None:
        controller, self._controller = self._controller, None
        if controller is not None:
            controller.stop()
        with self._lock:
            self._servers.clear()

    def restart(self) -> None:
        """Come back on the same port (after an outage)."""
        self.stop()
        self.start()

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # --- for clients ---

    def url(self, user: str | None = None, password: str | None = None,
            query: str = "") -> str:
        """An OUTREACH_SMTP_URL for this sink (with its own credentials unless given)."""
        user = self.user if user is None else user
        password = self.password if password is None else password
        scheme = "smtps" if self.tls == "implicit" else "smtp"
        credentials = ""
        if user is not None:
            credentials = f"{quote(user, safe='')}:{quote(password or '', safe='')}@"
        return f"{scheme}://{credentials}{self.host}:{self.port}" + (f"?{query}" if query else "")

    def client_tls_context(self) -> ssl.SSLContext:
        """A client context that trusts this sink's throw-away CA."""
        assert self._ca is not None, "this sink has no TLS"
        context = ssl.create_default_context()
        self._ca.configure_trust(context)
        return context

    # --- misbehaving ---

    def fail_next(self, count: int, reply: str, at: Stage = "DATA") -> None:
        """Answer the next `count` messages with `reply` ("451 4.3.0 Try later") at MAIL or
        after their data."""
        with self._lock:
            self._failures.extend([(at, reply)] * count)

    def refuse_recipient(self, address: str, reply: str = "550 5.1.1 Mailbox unavailable") -> None:
        self.refused_recipients[address.lower()] = reply

    def drop_after_data(self, count: int = 1) -> None:
        """Keep the next `count` messages but cut the connection instead of answering."""
        with self._lock:
            self._drops += count

    def drop_connections(self) -> None:
        """Close every open connection now, as a relay's idle timeout does."""
        controller = self._controller
        assert controller is not None, "not running"
        with self._lock:
            servers, self._servers = self._servers, []
        done = threading.Event()

        def close_all() -> None:
            for server in servers:
                if server.transport is not None:
                    server.transport.close()
            done.set()

        controller.loop.call_soon_threadsafe(close_all)
        assert done.wait(60), "the sink's loop did not answer"

    # --- called from the server thread ---

    def _opened(self, server: SMTP) -> None:
        with self._lock:
            if self._counting:
                self.connections += 1
                self._servers.append(server)

    def _take_failure(self, stage: Stage) -> str | None:
        with self._lock:
            if self._failures and self._failures[0][0] == stage:
                return self._failures.popleft()[1]
        return None

    def _take_drop(self) -> bool:
        with self._lock:
            if self._drops:
                self._drops -= 1
                return True
        return False

    def _record(self, message: ReceivedMessage) -> str:
        with self._lock:
            self.messages.append(message)
            return f"Q{len(self.messages):05d}"

    def _authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str,
        auth_data: Any,
    ) -> AuthResult:
        if (
            isinstance(auth_data, LoginPassword)
            and auth_data.login.decode() == self.user
            and auth_data.password.decode() == self.password
        ):
            return AuthResult(success=True)
        return AuthResult(success=False, handled=False)
