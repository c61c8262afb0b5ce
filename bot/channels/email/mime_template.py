"""The e-mail of one message in one language, built once and filled in per recipient.

`build_mime` (mime.py) builds each e-mail through the email package's header registry and
generator: about 1.7 ms a message, more than the SMTP dialogue. Everything a broadcast's
recipients share (From, Reply-To, Subject, List-Id, Auto-Submitted, the MIME structure,
Content-Language, and how the bodies are encoded) is the same for every delivery of a message
in a language, so a `MimeTemplate` folds those headers once (for each wire policy) and keeps
the structure; `wire` then sets only what belongs to one recipient: To, Message-ID, Date,
List-Unsubscribe, and the bodies rendered for them (their name, their reply links).

The result is the message `build_mime` gives, decoded (a spec compares them in the six
languages): the same headers, the same parts with the same decoded text. Addresses go through
`parse_address` as there (checked, IDNA-encoded domains); a body that would contain the
boundary, or anything unusual, is built by `build_mime` itself.
"""

import binascii
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import quoprimime
from email.message import EmailMessage
from email.utils import format_datetime

from bot.channels.contract import OutgoingEmail
from bot.channels.email.mime import (  # the same policies as build_mime's, on purpose
    _POLICY,
    _WIRE,
    _WIRE_UTF8,
    build_mime,
    list_id,
    parse_address,
    wire_bytes,
)

__all__ = ["MimeTemplate", "TemplateCache"]

_CRLF = b"\r\n"
_MAX_LINE = 78  # the policy's max_line_length: a longer 7bit line is encoded instead
_SNIFF_LINES = 10  # as the email package: the choice of encoding looks at the first lines


def _unsubscribe_ok(url: str) -> bool:
    return url.isascii() and not any(c.isspace() or c in "<>" or ord(c) < 32 for c in url)


def _encoding_for(data: bytes) -> str:
    """The email package's choice for a UTF-8 text part that is not plain 7bit ASCII:
    quoted-printable or base64, whichever is shorter on the first lines."""
    sniff = _CRLF.join(data.splitlines()[:_SNIFF_LINES]) + _CRLF
    quoted = quoprimime.body_encode(sniff.decode("latin-1"), _MAX_LINE)
    return "base64" if len(quoted) > len(binascii.b2a_base64(sniff)) else "quoted-printable"


def _base64(data: bytes) -> bytes:
    """Lines of 76 characters, as email.base64mime writes them."""
    return b"".join(binascii.b2a_base64(data[i:i + 57]).replace(b"\n", _CRLF)
                    for i in range(0, len(data), 57))


@dataclass
class MimeTemplate:
    """What every delivery of one message in one language shares, folded once."""

    mail_from: str
    reply_to: str | None
    subject: str
    language: str
    boundary: str = field(default_factory=lambda: f"{'=' * 15}{secrets.randbits(63):019d}==")
    _heads: dict[bool, tuple[bytes, bytes, bytes, bytes]] = field(default_factory=dict)
    _encodings: dict[str, str] = field(default_factory=dict)  # by subtype, once not ASCII

    def _head(self, smtputf8: bool) -> tuple[bytes, bytes, bytes, bytes]:
        """The shared headers, folded as `build_mime` folds them: From; Reply-To and Subject;
        Auto-Submitted and List-Id; the multipart structure and Content-Language."""
        if smtputf8 not in self._heads:
            message = EmailMessage(policy=_POLICY)
            message["From"] = self.mail_from
            if self.reply_to:
                message["Reply-To"] = self.reply_to
            message["Subject"] = self.subject
            message["Auto-Submitted"] = "auto-generated"
            message["List-Id"] = list_id(self.mail_from)
            message["Content-Language"] = self.language
            wire = _WIRE_UTF8 if smtputf8 else _WIRE
            folded = {name: wire.fold_binary(name, value) for name, value in message.items()}
            self._heads[smtputf8] = (
                folded["From"],
                folded.get("Reply-To", b"") + folded["Subject"],
                folded["Auto-Submitted"] + folded["List-Id"],
                ("MIME-Version: 1.0\r\nContent-Type: multipart/alternative;\r\n"
                 f' boundary="{self.boundary}"\r\n').encode("ascii")
                + folded["Content-Language"],
            )
        return self._heads[smtputf8]

    def _part(self, subtype: str, text: str) -> bytes | None:
        data = text.encode("utf-8")
        lines = data.splitlines()
        if data.isascii() and all(len(line) <= _MAX_LINE for line in lines):
            encoding, body = "7bit", _CRLF.join(lines) + _CRLF
            if self.boundary.encode("ascii") in body:
                return None  # the text holds the boundary: let build_mime pick another
        else:
            if subtype not in self._encodings:
                self._encodings[subtype] = _encoding_for(data)
            encoding = self._encodings[subtype]
            joined = _CRLF.join(lines) + _CRLF
            if encoding == "base64":
                body = _base64(joined)
            else:
                body = binascii.b2a_qp(joined, istext=True)
                if not body.endswith(_CRLF):
                    body += _CRLF
        return (f"--{self.boundary}\r\nContent-Type: text/{subtype}; charset=\"utf-8\"\r\n"
                f"Content-Transfer-Encoding: {encoding}\r\n\r\n").encode("ascii") + body

    def wire(self, mail: OutgoingEmail, smtputf8: bool, *, date: datetime | None = None
             ) -> bytes:
        """The e-mail for one recipient, as bytes for SMTP (or a .eml file).

        Raises ValueError where `build_mime` does: no address, an address that is not one,
        an unsubscribe URL that could break its header.
        """
        if not mail.to:
            raise ValueError("no recipient address")
        to = ", ".join(str(parse_address(address)) for address in mail.to)
        if mail.unsubscribe_url and not _unsubscribe_ok(mail.unsubscribe_url):
            raise ValueError("the unsubscribe URL must be ASCII, without spaces or < >")
        text, html = self._part("plain", mail.text), self._part("html", mail.html)
        plain_to = len(to) <= _MAX_LINE - len("To: ") and (smtputf8 or to.isascii())
        if (text is None or html is None or not plain_to or not mail.message_id.isascii()
                or mail.attachments):
            # Rare: let the email package fold or choose; the result is the same message
            # (and it adds the attachments, bot.channels.email.attachments).
            message = build_mime(mail, self.mail_from, self.reply_to, date=date)
            return wire_bytes(message, smtputf8)
        sender, subject, listing, structure = self._head(smtputf8)
        stamp = format_datetime(date or datetime.now(UTC))
        own = f"Date: {stamp}\r\nMessage-ID: {mail.message_id}\r\n"
        unsubscribe = ""
        if mail.unsubscribe_url:
            unsubscribe = (f"List-Unsubscribe: <{mail.unsubscribe_url}>\r\n"
                           "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n")
        return b"".join((
            sender, f"To: {to}\r\n".encode(), subject, own.encode("ascii"), listing,
            unsubscribe.encode("ascii"), structure, _CRLF, text, _CRLF, html, _CRLF,
            f"--{self.boundary}--\r\n".encode("ascii"),
        ))


@dataclass
class TemplateCache:
    """The templates of the messages being sent, by (subject, language): a broadcast builds
    one per language; a subject that names its recipient simply builds one per recipient."""

    mail_from: str
    reply_to: str | None
    limit: int = 64
    _templates: dict[tuple[str, str], MimeTemplate] = field(default_factory=dict)

    def wire(self, mail: OutgoingEmail, smtputf8: bool) -> bytes:
        key = (mail.subject, mail.language)
        template = self._templates.get(key)
        if template is None:
            if len(self._templates) >= self.limit:
                self._templates.pop(next(iter(self._templates)))
            template = MimeTemplate(self.mail_from, self.reply_to, mail.subject, mail.language)
            self._templates[key] = template
        return template.wire(mail, smtputf8)
