"""The contract every channel sender keeps with the dispatcher.

A sender takes one rendered message at a time, inside `async with sender:` (so a batch can
share one connection), and answers with a SendResult: sent, or failed permanently (a person
must act), or failed transiently (the dispatcher retries later). A sender never raises for
a delivery's own failure; it raises only for its own bugs.
"""

from dataclasses import dataclass
from enum import StrEnum
from types import TracebackType
from typing import Protocol, Self, TypeVar


class Outcome(StrEnum):
    SENT = "sent"
    TRANSIENT = "transient"
    PERMANENT = "permanent"


@dataclass(frozen=True)
class SendResult:
    outcome: Outcome
    # What a person reads in `outreach deliveries`: the far end's words, never personal data.
    reason: str = ""
    # Seconds the far end asked us to wait before the next attempt (Telegram's retry_after).
    retry_after: float | None = None
    # The far end's id for what was sent (Telegram message id, SMTP queue id), if any.
    external_id: str | None = None
    # Telegram moved the group to a supergroup: the new chat id to save and use.
    migrated_to_chat_id: int | None = None
    # Telegram says this chat can never be reached (bot blocked, chat not found, deactivated).
    recipient_unreachable: bool = False

    @classmethod
    def sent(cls, external_id: str | None = None) -> "SendResult":
        return cls(Outcome.SENT, external_id=external_id)

    @classmethod
    def transient(cls, reason: str, retry_after: float | None = None) -> "SendResult":
        return cls(Outcome.TRANSIENT, reason=reason, retry_after=retry_after)

    @classmethod
    def permanent(cls, reason: str, recipient_unreachable: bool = False) -> "SendResult":
        return cls(Outcome.PERMANENT, reason=reason, recipient_unreachable=recipient_unreachable)


@dataclass(frozen=True)
class Attachment:
    """A file sent with a message (a State's draft matrix): its bytes as stored, the name the
    recipient sees, and its MIME type."""

    filename: str
    content_type: str  # "application/pdf", ...
    data: bytes


@dataclass(frozen=True)
class OutgoingEmail:
    delivery_id: int
    to: tuple[str, ...]  # the PoC's addresses, first one first
    subject: str
    text: str
    html: str
    language: str
    message_id: str  # stable per delivery: "<delivery-42.message-7@outreach.example.org>"
    unsubscribe_url: str | None  # one-click (RFC 8058) link; None when no public URL is set
    attachments: tuple[Attachment, ...] = ()  # MIME attachments (bot.channels.email.attachments)


@dataclass(frozen=True)
class OutgoingTelegram:
    delivery_id: int
    chat_id: int
    html: str  # Telegram HTML parse mode; every interpolated value already escaped
    # Inline keyboard, one button a row: (label, callback data of at most 64 bytes).
    buttons: tuple[tuple[str, str], ...] = ()
    # sent by sendDocument with `html` as its caption (at most 1024 characters) instead
    document: Attachment | None = None


Item = TypeVar("Item", contravariant=True)


class Sender(Protocol[Item]):
    """What the dispatcher needs of a channel."""

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...

    async def send(self, item: Item) -> SendResult: ...


class NothingToOpen:
    """For a sender with no connection to share across a batch (a folder, a stand-in):
    `async with sender:` opens and closes nothing."""

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        return None


class UncertainDelivery(Exception):
    """The message may have left: the far end stopped answering after we handed it over.

    The dispatcher records the delivery `uncertain` and never resends it on its own.
    """
