"""Shared set-up for outbox specs: invented PoCs, a message for them, a scripted sender."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import TracebackType
from typing import Self

from sqlmodel import Session, select

from bot.channels.contract import OutgoingEmail, OutgoingTelegram, SendResult
from storage import outbox, pocs
from storage.outbox import Channel, OutboxMessage, Recipient
from storage.parties import Party

NOW = datetime(2026, 11, 27, 14, 0, tzinfo=UTC)


def add_poc(session: Session, party_code: str, name: str, email: str | None = None,
            chat_id: int | None = None, language: str = "en", role: str = "national") -> int:
    party = session.exec(select(Party).where(Party.code == party_code)).one()
    assert party.id is not None
    poc = pocs.create(session=session, actor="test", now=NOW, fields=pocs.PocFields(
        party_id=party.id, role=role, full_name=name,
        emails=(email,) if email else (), language=language, timezone="UTC",
        telegram_chat_id=chat_id))
    session.commit()
    assert poc.id is not None
    return poc.id


def invent_pocs(session: Session, count: int) -> list[int]:
    """`count` invented PoCs with an e-mail address each, over five States."""
    parties = ("FRA", "KEN", "MAR", "BRA", "JPN")
    return [add_poc(session, parties[n % len(parties)], f"Person {n}-Test",
                    f"person{n}@example.org") for n in range(count)]


def queue(session: Session, poc_ids: list[int], template: str = "contact_check",
          dedupe_key: str | None = None, now: datetime = NOW) -> OutboxMessage:
    audience = outbox.audience_of(session=session, poc_ids=poc_ids)
    message = outbox.enqueue(session=session, kind="one_off", template=template, context={},
                             audience="test", recipients=audience.recipients,
                             created_by="test", now=now, dedupe_key=dedupe_key)
    session.commit()
    return message


def email_only(poc_ids: list[int]) -> list[Recipient]:
    return [Recipient(poc_id, Channel.EMAIL) for poc_id in poc_ids]


@dataclass
class ScriptedSender:
    """A channel whose answers a test chooses; it records what it was asked to send."""

    answer: Callable[[OutgoingEmail | OutgoingTelegram], SendResult] = (
        lambda item: SendResult.sent(external_id=f"ext-{item.delivery_id}"))
    sent: list[OutgoingEmail | OutgoingTelegram] = field(default_factory=list)
    batches: int = 0

    async def __aenter__(self) -> Self:
        self.batches += 1
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None,
                        exc: BaseException | None, traceback: TracebackType | None) -> None:
        return None

    async def send(self, item: OutgoingEmail | OutgoingTelegram) -> SendResult:
        self.sent.append(item)
        return self.answer(item)
