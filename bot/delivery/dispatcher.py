"""The dispatcher: claim due deliveries, render, send through the channel, record the outcome.

The order of writes is the guarantee. A claim is a lease; `sending` is committed before the
message is handed to the network; the outcome is committed after. A crash before `sending`
leaves a lease that expires and the delivery is sent later; a crash after it leaves `sending`,
which the next sweep turns into `uncertain` for a person to check. Nothing is sent twice by
the machine, and nothing disappears.

E-mail goes a window at a time (`window`, OUTREACH_MAIL_WINDOW): the window's deliveries are
marked `sending` in one commit (which also carries the previous window's outcomes), sent at
once over as many SMTP connections, and their outcomes written in one batched statement. A
crash therefore leaves at most `window` deliveries `uncertain`, some of which may never have
left. Telegram keeps a window of one, paced by its own sender.

A message is rendered once per language and channel in a run (bot.render.message_fill) and
each delivery's own values (the PoC's name, the party, the links) are filled in; a template
that does more with them than print them is rendered in full for each delivery, as before.
"""

import asyncio
import logging
import random
import socket
import uuid
from collections.abc import Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, bindparam
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from bot.channels.contract import (
    Attachment,
    Outcome,
    OutgoingEmail,
    OutgoingTelegram,
    Sender,
    SendResult,
    UncertainDelivery,
)
from bot.delivery.answer_links import REMINDER_KIND, email_links, telegram_buttons
from bot.delivery.matrix_review_files import MissingDraft, drafts_of
from bot.render.message_fill import MessageFills
from bot.web.links import unsubscribe_url
from scheduler.backoff import retry_delay
from scheduler.clock import utc_now
from scheduler.working_hours import WorkingHours, next_working_moment
from storage import letters, outbox, outbox_window, pocs
from storage.outbox import Channel, Delivery, DeliveryState, OutboxMessage
from storage.outbox_window import RecordedOutcome
from storage.parties import Party

log = logging.getLogger(__name__)
DISPATCHER_ACTOR = "system:dispatcher"


@dataclass
class DispatchStats:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    uncertain: int = 0
    swept_to_uncertain: int = 0

    def add(self, other: "DispatchStats") -> None:
        for name in ("sent", "retried", "failed", "uncertain", "swept_to_uncertain"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass(frozen=True)
class LinkSettings:
    public_url: str | None = None
    secret: str | None = None
    message_id_domain: str = "outreach.invalid"


@dataclass(frozen=True, slots=True)
class _DeliveryRow:
    """The columns of a delivery the dispatcher reads (a Core row, not an ORM object)."""

    id: int
    message_id: int
    poc_id: int
    channel: str
    attempts: int
    next_attempt_at: datetime
    external_id: str | None
    sent_at: datetime | None


@dataclass(frozen=True, slots=True)
class _ContactRow:
    """The columns of a Point of Contact that rendering and sending need."""

    id: int
    party_id: int
    full_name: str
    title: str
    language: str
    timezone: str
    status: str
    email_opted_out_at: datetime | None
    telegram_chat_id: int | None
    telegram_unreachable_at: datetime | None


@dataclass(frozen=True, slots=True)
class _PartyRow:
    id: int
    kind: str
    code: str
    name: str


def _columns_of(model: Any, row: type) -> Any:
    """A Core SELECT of `row`'s fields from `model`'s table, by id, built once: SQLAlchemy
    reuses its compiled form, and no ORM object is built or tracked per row."""
    table = model.__table__
    names = [item.name for item in fields(row)]
    return (select_columns(*(table.c[name] for name in names))
            .where(table.c.id.in_(bindparam("ids", expanding=True))))


_DELIVERIES = _columns_of(Delivery, _DeliveryRow)
_CONTACTS = _columns_of(pocs.PointOfContact, _ContactRow)
_PARTIES = _columns_of(Party, _PartyRow)
_EMAILS_TABLE = pocs.PocEmail.__table__  # type: ignore[attr-defined]
_EMAILS = (select_columns(_EMAILS_TABLE.c.poc_id, _EMAILS_TABLE.c.address)
           .where(_EMAILS_TABLE.c.poc_id.in_(bindparam("ids", expanding=True)))
           .order_by(_EMAILS_TABLE.c.poc_id, _EMAILS_TABLE.c.position))


@dataclass(frozen=True)
class _Batch:
    """A claimed batch and everything needed to render it, read in five queries."""

    deliveries: dict[int, _DeliveryRow]
    messages: dict[int, OutboxMessage]
    pocs: dict[int, _ContactRow]
    parties: dict[int, _PartyRow]
    emails: dict[int, tuple[str, ...]]
    letters: dict[int, int]  # message id -> letter id, for letters expecting a response and
    # their reminders
    # message id -> the draft matrix it carries, read once (or why it cannot be attached)
    drafts: dict[int, Attachment | MissingDraft] = field(default_factory=dict)

    @classmethod
    def load(cls, session: Session, ids: list[int], data_dir: Path | None = None) -> "_Batch":
        read = session.connection().execute  # fresh rows each time: nothing cached in between
        deliveries = {row.id: _DeliveryRow(*row) for row in read(_DELIVERIES, {"ids": ids})}
        poc_ids = list({d.poc_id for d in deliveries.values()})
        message_ids = {d.message_id for d in deliveries.values()}
        contacts = {row.id: _ContactRow(*row) for row in read(_CONTACTS, {"ids": poc_ids})}
        messages = {m.id or 0: m for m in session.exec(  # a handful: ORM objects are cheap
            select(OutboxMessage).where(col(OutboxMessage.id).in_(message_ids)))}
        party_ids = list({c.party_id for c in contacts.values()})
        parties = {row.id: _PartyRow(*row) for row in read(_PARTIES, {"ids": party_ids})}
        emails: dict[int, tuple[str, ...]] = {}
        for poc_id, address in read(_EMAILS, {"ids": poc_ids}):
            emails[poc_id] = (*emails.get(poc_id, ()), address)
        found = letters.letter_message_ids(session=session, messages=list(messages.values()))
        drafts = drafts_of(session=session, messages=list(messages.values()), data_dir=data_dir)
        return cls(deliveries, messages, contacts, parties, emails, found, drafts)


async def _send(sender: Sender[Any], item: OutgoingEmail | OutgoingTelegram
                ) -> SendResult | str:
    """The sender's answer, or why the delivery is uncertain: the far end went silent after
    the hand-over, or a sender bug struck after it (nobody can know whether it left)."""
    try:
        result: SendResult = await sender.send(item)
    except UncertainDelivery as error:
        return str(error) or "no answer after sending"
    except Exception:
        log.exception("delivery %s: sender failed unexpectedly", item.delivery_id)
        return "internal error while sending"
    return result


class NotDeliverable(Exception):
    """Known before sending that this delivery cannot go out (opted out, no address...)."""


def _draft(batch: "_Batch", message: OutboxMessage) -> Attachment | None:
    """The draft matrix the message carries; a message whose draft is gone is not sent
    without it."""
    found = batch.drafts.get(message.id or 0)
    if isinstance(found, MissingDraft):
        raise NotDeliverable(found.reason)
    return found


@dataclass
class Dispatcher:
    engine: Engine
    email: Sender[OutgoingEmail]
    telegram: Sender[OutgoingTelegram] | None
    links: LinkSettings = field(default_factory=LinkSettings)
    owner: str = field(default_factory=lambda: f"{socket.gethostname()}:{uuid.uuid4().hex[:8]}")
    batch_size: int = 50
    # e-mails in flight at once (OUTREACH_MAIL_WINDOW): at most this many `uncertain` after
    # a crash; Telegram goes one at a time, paced by its sender
    window: int = 1
    lease: timedelta = timedelta(minutes=10)
    max_attempts: int = 8
    clock: Callable[[], datetime] = utc_now
    rng: random.Random = field(default_factory=random.Random)
    working_hours: WorkingHours = field(default_factory=WorkingHours)
    # each message rendered once per language and channel in a run, filled in per delivery
    _renders: MessageFills = field(default_factory=MessageFills, init=False, repr=False)
    # where a draft matrix sent for review is kept (OUTREACH_DATA_DIR): attached from there
    data_dir: Path | None = None

    async def run_once(self) -> DispatchStats:
        """Send everything due now, batch by batch, then return what happened."""
        stats = DispatchStats()
        self._renders = MessageFills()  # a message's id means the same message within a run
        # one connection for the run: the session's commits are still real commits, but a
        # connection checked out of the pool per window cost a pre-ping round trip each time
        with (self.engine.connect() as connection,
              Session(bind=connection, expire_on_commit=False) as session):
            stats.swept_to_uncertain = outbox.sweep_abandoned(session=session, now=self.clock())
            channels: list[tuple[Channel, Sender[Any]]] = [(Channel.EMAIL, self.email)]
            if self.telegram is not None:
                channels.append((Channel.TELEGRAM, self.telegram))
            for channel, sender in channels:
                async with AsyncExitStack() as opened:
                    entered = False
                    while True:
                        ids = outbox.claim(session=session, owner=self.owner, now=self.clock(),
                                           limit=self.batch_size, lease=self.lease,
                                           channel=channel)
                        if not ids:
                            break
                        if not entered:  # one connection for the whole run, none if idle
                            await opened.enter_async_context(sender)
                            entered = True
                        batch = _Batch.load(session, ids, self.data_dir)
                        size = self.window if channel == Channel.EMAIL else 1
                        try:
                            for first in range(0, len(ids), size):
                                stats.add(await self._send_window(
                                    session, sender, batch, ids[first:first + size]))
                        finally:
                            session.commit()  # the last window's outcomes
        return stats

    async def _send_window(self, session: Session, sender: Sender[Any], batch: "_Batch",
                           ids: list[int]) -> DispatchStats:
        """Prepare, mark `sending` in one commit, send all at once, stage the outcomes."""
        stats = DispatchStats()
        ready: dict[int, OutgoingEmail | OutgoingTelegram] = {}
        for delivery_id in ids:
            try:
                ready[delivery_id] = self._prepare(batch, batch.deliveries[delivery_id])
            except NotDeliverable as reason:
                outbox.record_failed(session=session, delivery_id=delivery_id,
                                     owner=self.owner, now=self.clock(), reason=str(reason),
                                     commit=False)
                stats.failed += 1
        # the last word before the network, committed with the previous window's outcomes;
        # a row whose lease ran out (someone else has it now) is left alone
        marked = outbox_window.mark_window_sending(
            session=session, delivery_ids=list(ready), owner=self.owner, now=self.clock(),
            lease=self.lease)
        going = [delivery_id for delivery_id in ready if delivery_id in marked]
        results = await asyncio.gather(*(_send(sender, ready[i]) for i in going))
        outcomes = [self._outcome(session, batch, batch.deliveries[delivery_id], result, stats)
                    for delivery_id, result in zip(going, results, strict=True)]
        outbox_window.record_outcomes(session=session, owner=self.owner, now=self.clock(),
                                      outcomes=outcomes)
        return stats

    def _outcome(self, session: Session, batch: "_Batch", delivery: _DeliveryRow,
                 result: SendResult | str, stats: DispatchStats) -> RecordedOutcome:
        """The row after its send (a string: the reason it is uncertain), counted in stats."""
        now = self.clock()
        attempts = delivery.attempts + 1  # as read before the window counted it in SQL
        kept = (delivery.next_attempt_at, delivery.external_id, delivery.sent_at)  # as they are
        if isinstance(result, str):
            stats.uncertain += 1
            return RecordedOutcome(delivery.id, DeliveryState.UNCERTAIN, result, *kept)
        if result.migrated_to_chat_id is not None:
            pocs.move_telegram_chat(session=session, poc_id=delivery.poc_id,
                                    chat_id=result.migrated_to_chat_id, actor=DISPATCHER_ACTOR,
                                    now=now)
        if result.recipient_unreachable:
            pocs.mark_telegram_unreachable(session=session, poc_id=delivery.poc_id,
                                           actor=DISPATCHER_ACTOR, now=now)
        if result.outcome is Outcome.SENT:
            stats.sent += 1
            return RecordedOutcome(delivery.id, DeliveryState.SENT, "", delivery.next_attempt_at,
                                   result.external_id, now)
        if result.outcome is Outcome.TRANSIENT and attempts < self.max_attempts:
            retry_at = now + retry_delay(attempts, result.retry_after, self.rng)
            if batch.messages[delivery.message_id].kind == REMINDER_KIND:
                # a reminder retried is still a reminder: in the PoC's working hours
                zone = batch.pocs[delivery.poc_id].timezone
                retry_at = next_working_moment(retry_at, zone, self.working_hours)
            stats.retried += 1
            return RecordedOutcome(delivery.id, DeliveryState.RETRY, result.reason, retry_at,
                                   delivery.external_id, delivery.sent_at)
        reason = result.reason
        if result.outcome is Outcome.TRANSIENT:
            reason = f"gave up after {attempts} attempts: {reason}"
        stats.failed += 1
        return RecordedOutcome(delivery.id, DeliveryState.FAILED, reason, *kept)

    def _prepare(self, batch: "_Batch", delivery: _DeliveryRow
                 ) -> OutgoingEmail | OutgoingTelegram:
        message = batch.messages[delivery.message_id]
        poc = batch.pocs[delivery.poc_id]
        party = batch.parties[poc.party_id]
        if poc.status != pocs.PocStatus.ACTIVE:
            raise NotDeliverable("the Point of Contact was deactivated")
        emails = batch.emails.get(poc.id, ())
        context = {
            "poc": {"full_name": poc.full_name, "title": poc.title, "emails": list(emails)},
            "party": {"code": party.code, "name": party.name},
            "message": message.context,
        }
        unsubscribe = answers = None
        if self.links.public_url and self.links.secret:
            unsubscribe = unsubscribe_url(self.links.public_url, self.links.secret, poc.id)
            answers = email_links(public_url=self.links.public_url,
                                  secret=self.links.secret, message=message,
                                  letter_id=batch.letters.get(message.id or 0),
                                  delivery_id=delivery.id, poc_id=poc.id,
                                  party_kind=party.kind, today=self.clock().date())
        try:
            language = str(message.context.get(outbox.WRITTEN_IN) or poc.language)
            rendered = self._renders.render(
                message.id, message.template, language, context, unsubscribe,
                answers if delivery.channel == Channel.EMAIL else None, channel=delivery.channel)
        except Exception as error:  # a broken template must fail the delivery, not the batch
            raise NotDeliverable(f"template {message.template!r} failed: {error}") from error
        if delivery.channel == Channel.EMAIL:
            if poc.email_opted_out_at is not None:
                raise NotDeliverable("the Point of Contact unsubscribed from e-mail")
            if not emails:
                raise NotDeliverable("the Point of Contact has no e-mail address")
            attached = _draft(batch, message)
            return OutgoingEmail(
                delivery_id=delivery.id, to=emails, subject=rendered.subject,
                text=rendered.text, html=rendered.html, language=rendered.language,
                message_id=f"<delivery-{delivery.id}.message-{message.id}"
                f"@{self.links.message_id_domain}>",
                unsubscribe_url=unsubscribe,
                attachments=(attached,) if attached else (),
            )
        if poc.telegram_unreachable_at is not None or poc.telegram_chat_id is None:
            raise NotDeliverable("the Point of Contact cannot be reached on Telegram")
        buttons = telegram_buttons(message, message.id in batch.letters, delivery.id,
                                   rendered.language)
        return OutgoingTelegram(delivery_id=delivery.id, chat_id=poc.telegram_chat_id,
                                html=rendered.telegram, buttons=buttons,
                                document=_draft(batch, message))
