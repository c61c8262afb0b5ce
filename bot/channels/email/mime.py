"""The e-mail as sent and as written to .eml: text and HTML alternatives in UTF-8, with the
headers a PoC's mail client and relays need (Message-ID, List-Id, List-Unsubscribe one-click,
Auto-Submitted, Content-Language), and addresses checked and IDNA-encoded."""

import contextlib
from datetime import UTC, datetime
from email import policy as email_policy
from email.headerregistry import Address, BaseHeader, HeaderRegistry, UniqueUnstructuredHeader
from email.message import EmailMessage
from email.policy import Policy
from email.utils import format_datetime, parseaddr
from typing import ClassVar, Literal

from bot.channels.contract import OutgoingEmail
from bot.channels.email.attachments import attach

__all__ = ["build_mime", "list_id", "needs_smtputf8", "parse_address", "recipient_addresses",
           "wire_bytes"]


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


def parse_address(value: str) -> Address:
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
    return [str(parse_address(address).addr_spec) for address in mail.to]


def list_id(mail_from: str) -> str:
    """RFC 2919 List-Id of every message: `outreach.` and the sender's domain, described by
    the sender's display name when it is plain ASCII. Bulk mail without one is scored as spam
    (SpamAssassin), and mail clients file and filter a list by it.

    Raises ValueError when `mail_from` has no address with a domain.
    """
    name, address = parseaddr(mail_from)
    try:
        domain = parse_address(address).domain
    except ValueError:
        raise ValueError("OUTREACH_MAIL_FROM has no e-mail address") from None
    identifier = f"<outreach.{domain.lower()}>"
    plain = name.isascii() and name.isprintable() and not set(name) & {'"', "\\"}
    return f'"{name}" {identifier}' if name and plain else identifier


def needs_smtputf8(addresses: list[str]) -> bool:
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
    message["To"] = [parse_address(address) for address in mail.to]
    if reply_to:
        message["Reply-To"] = reply_to
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(date or datetime.now(UTC))
    message["Message-ID"] = mail.message_id
    message["Auto-Submitted"] = "auto-generated"
    message["List-Id"] = list_id(mail_from)
    if mail.unsubscribe_url:
        url = mail.unsubscribe_url
        if not url.isascii() or any(c.isspace() or c in "<>" or ord(c) < 32 for c in url):
            raise ValueError("the unsubscribe URL must be ASCII, without spaces or < >")
        message["List-Unsubscribe"] = f"<{url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(mail.text, subtype="plain", charset="utf-8")
    message.add_alternative(mail.html, subtype="html", charset="utf-8")
    if mail.attachments:  # multipart/mixed, before Content-Language goes on the whole
        attach(message, mail.attachments)
    # After the body: making it multipart moves every Content-* header into the first part.
    message["Content-Language"] = mail.language
    return message


def wire_bytes(message: EmailMessage, smtputf8: bool) -> bytes:
    return message.as_bytes(policy=_WIRE_UTF8 if smtputf8 else _WIRE)
