"""The dispatcher: claim due deliveries, render, send through the channel, record the outcome.

The order of writes is the guarantee. A claim is a lease; `sending` is committed before the
message is handed to the network; the outcome is committed after. A crash before `sending`
leaves a lease that expires and the delivery is sent later; a crash after it leaves `sending`,
which the next sweep turns into `uncertain` for a person to check. Nothing is sent twice by
the machine, and nothing disappears.
"""

import logging
import random
import socket
import uuid
from collections.abc import Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from bot.channels.contract import (
    Outcome,
    OutgoingEmail,
    OutgoingTelegram,
    Sender,
    SendResult,
    UncertainDelivery,
)
from bot.delivery.assistance_answer_words import answer_buttons
from bot.delivery.letter_words import letter_buttons
from bot.delivery.reply_words import reply_buttons
from bot.render.messages import render_message
from bot.web.links import (
    assistance_answer_urls,
    assistance_form_url,
    letter_answer_urls,
    reply_urls,
    unsubscribe_url,
    upload_url,
)
from scheduler.backoff import retry_delay
from scheduler.clock import utc_now
from scheduler.working_hours import WorkingHours, next_working_moment
from storage import letters, outbox, pocs
from storage.outbox import Channel, Delivery, OutboxMessage
from storage.parties import Party, PartyKind

log = logging.getLogger(__name__)
DISPATCHER_ACTOR = "system:dispatcher"
REMINDER_KIND = "reminder"  # messages whose recipients can answer: received, later, not me
# a year after a match the requesting State answers: met, partly met, still needed
FOLLOW_UP_TEMPLATE = "assistance_follow_up"
CHAIR_TEMPLATE = "chair_message"
# what a reminder's upload link sends a document as (storage.inbox.model.Purpose)
UPLOAD_PURPOSES = {"reminder_first_report": "national_report",
                   "reminder_update": "additional_info"}


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


@dataclass(frozen=True)
class _Batch:
    """A claimed batch and everything needed to render it, read in five queries."""

    deliveries: dict[int, Delivery]
    messages: dict[int, OutboxMessage]
    pocs: dict[int, pocs.PointOfContact]
    parties: dict[int, Party]
    emails: dict[int, tuple[str, ...]]
    letters: set[int]  # message ids of letters expecting a response, and of their reminders

    @classmethod
    def load(cls, session: Session, ids: list[int]) -> "_Batch":
        fresh = {"populate_existing": True}  # never trust what an earlier batch cached
        deliveries = {d.id or 0: d for d in session.exec(
            select(Delivery).where(col(Delivery.id).in_(ids)).execution_options(**fresh))}
        poc_ids = {d.poc_id for d in deliveries.values()}
        message_ids = {d.message_id for d in deliveries.values()}
        contacts = {p.id or 0: p for p in session.exec(
            select(pocs.PointOfContact).where(col(pocs.PointOfContact.id).in_(poc_ids))
            .execution_options(**fresh))}
        messages = {m.id or 0: m for m in session.exec(
            select(OutboxMessage).where(col(OutboxMessage.id).in_(message_ids)))}
        parties = {p.id or 0: p for p in session.exec(
            select(Party).where(col(Party.id).in_({c.party_id for c in contacts.values()})))}
        emails: dict[int, tuple[str, ...]] = {}
        query = (select(pocs.PocEmail).where(col(pocs.PocEmail.poc_id).in_(poc_ids))
                 .order_by(col(pocs.PocEmail.poc_id), col(pocs.PocEmail.position))
                 .execution_options(**fresh))
        for row in session.exec(query):
            emails[row.poc_id] = (*emails.get(row.poc_id, ()), row.address)
        found = letters.letter_message_ids(session=session, messages=list(messages.values()))
        return cls(deliveries, messages, contacts, parties, emails, found)


class NotDeliverable(Exception):
    """Known before sending that this delivery cannot go out (opted out, no address...)."""


@dataclass
class Dispatcher:
    engine: Engine
    email: Sender[OutgoingEmail]
    telegram: Sender[OutgoingTelegram] | None
    links: LinkSettings = field(default_factory=LinkSettings)
    owner: str = field(default_factory=lambda: f"{socket.gethostname()}:{uuid.uuid4().hex[:8]}")
    batch_size: int = 50
    lease: timedelta = timedelta(minutes=10)
    max_attempts: int = 8
    clock: Callable[[], datetime] = utc_now
    rng: random.Random = field(default_factory=random.Random)
    working_hours: WorkingHours = field(default_factory=WorkingHours)

    async def run_once(self) -> DispatchStats:
        """Send everything due now, batch by batch, then return what happened."""
        stats = DispatchStats()
        with Session(self.engine, expire_on_commit=False) as session:
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
                        batch = _Batch.load(session, ids)
                        try:
                            for delivery_id in ids:
                                stats.add(await self._deliver(session, sender, batch,
                                                              delivery_id))
                        finally:
                            session.commit()  # the last outcome staged in the batch
        return stats

    async def _deliver(
        self, session: Session, sender: Sender[Any], batch: "_Batch", delivery_id: int
    ) -> DispatchStats:
        stats = DispatchStats()
        delivery = batch.deliveries[delivery_id]
        try:
            item = self._prepare(batch, delivery)
        except NotDeliverable as reason:
            outbox.record_failed(session=session, delivery_id=delivery_id, owner=self.owner,
                                 now=self.clock(), reason=str(reason), commit=False)
            stats.failed += 1
            return stats
        attempt = delivery.attempts + 1  # read before mark_sending counts it in SQL
        now = self.clock()
        if not outbox.mark_sending(session=session, delivery_id=delivery_id, owner=self.owner,
                                   now=now, lease=self.lease):
            return stats  # the lease ran out and someone else has it now
        try:
            result = await sender.send(item)
        except UncertainDelivery as error:
            outbox.record_uncertain(
                session=session, delivery_id=delivery_id, owner=self.owner, now=self.clock(),
                reason=str(error) or "no answer after sending", commit=False,
            )
            stats.uncertain += 1
            return stats
        except Exception:
            # A sender bug after the hand-over: we cannot know whether it left.
            log.exception("delivery %s: sender failed unexpectedly", delivery_id)
            outbox.record_uncertain(session=session, delivery_id=delivery_id, owner=self.owner,
                                    now=self.clock(), reason="internal error while sending",
                                    commit=False)
            stats.uncertain += 1
            return stats
        self._record(session, batch, delivery, attempt, result, stats)
        return stats

    def _record(self, session: Session, batch: "_Batch", delivery: Delivery, attempts: int,
                result: SendResult,
                stats: DispatchStats) -> None:
        assert delivery.id is not None
        now = self.clock()
        if result.migrated_to_chat_id is not None:
            pocs.move_telegram_chat(session=session, poc_id=delivery.poc_id,
                                    chat_id=result.migrated_to_chat_id, actor=DISPATCHER_ACTOR,
                                    now=now)
        if result.recipient_unreachable:
            pocs.mark_telegram_unreachable(session=session, poc_id=delivery.poc_id,
                                           actor=DISPATCHER_ACTOR, now=now)
        if result.outcome is Outcome.SENT:
            outbox.record_sent(session=session, delivery_id=delivery.id, owner=self.owner,
                               now=now, external_id=result.external_id, commit=False)
            stats.sent += 1
        elif result.outcome is Outcome.TRANSIENT and attempts < self.max_attempts:
            retry_at = now + retry_delay(attempts, result.retry_after, self.rng)
            if batch.messages[delivery.message_id].kind == REMINDER_KIND:
                # a reminder retried is still a reminder: in the PoC's working hours
                zone = batch.pocs[delivery.poc_id].timezone
                retry_at = next_working_moment(retry_at, zone, self.working_hours)
            outbox.record_retry(session=session, delivery_id=delivery.id, owner=self.owner,
                                now=now, reason=result.reason, next_attempt_at=retry_at,
                                commit=False)
            stats.retried += 1
        else:
            reason = result.reason
            if result.outcome is Outcome.TRANSIENT:
                reason = f"gave up after {attempts} attempts: {reason}"
            outbox.record_failed(session=session, delivery_id=delivery.id, owner=self.owner,
                                 now=now, reason=reason, commit=False)
            stats.failed += 1

    def _prepare(self, batch: "_Batch", delivery: Delivery) -> OutgoingEmail | OutgoingTelegram:
        assert delivery.id is not None
        message = batch.messages[delivery.message_id]
        poc = batch.pocs[delivery.poc_id]
        party = batch.parties[poc.party_id]
        assert poc.id is not None
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
            if message.id in batch.letters:
                answers = letter_answer_urls(self.links.public_url, self.links.secret,
                                             delivery.id)
            elif message.kind == REMINDER_KIND:
                answers = reply_urls(self.links.public_url, self.links.secret, delivery.id)
                if party.kind == PartyKind.STATE:  # a State's PoC may request assistance
                    answers["assistance_form"] = assistance_form_url(
                        self.links.public_url, self.links.secret, poc.id, self.clock().date())
                    # ... and send its report through the upload page
                    answers["upload"] = upload_url(
                        self.links.public_url, self.links.secret, poc.id,
                        UPLOAD_PURPOSES.get(message.template, "additional_info"),
                        self.clock().date())
            elif message.template == CHAIR_TEMPLATE:  # a written answer to the Chair's letter
                answers = {"upload": upload_url(self.links.public_url, self.links.secret,
                                                poc.id, "letter_response", self.clock().date())}
            elif message.template == FOLLOW_UP_TEMPLATE:
                answers = assistance_answer_urls(self.links.public_url, self.links.secret,
                                                 delivery.id)
        try:
            language = str(message.context.get(outbox.WRITTEN_IN) or poc.language)
            rendered = render_message(message.template, language, context, unsubscribe,
                                      answers if delivery.channel == Channel.EMAIL else None)
        except Exception as error:  # a broken template must fail the delivery, not the batch
            raise NotDeliverable(f"template {message.template!r} failed: {error}") from error
        if delivery.channel == Channel.EMAIL:
            if poc.email_opted_out_at is not None:
                raise NotDeliverable("the Point of Contact unsubscribed from e-mail")
            if not emails:
                raise NotDeliverable("the Point of Contact has no e-mail address")
            return OutgoingEmail(
                delivery_id=delivery.id, to=emails, subject=rendered.subject,
                text=rendered.text, html=rendered.html, language=rendered.language,
                message_id=f"<delivery-{delivery.id}.message-{message.id}"
                f"@{self.links.message_id_domain}>",
                unsubscribe_url=unsubscribe,
            )
        if poc.telegram_unreachable_at is not None or poc.telegram_chat_id is None:
            raise NotDeliverable("the Point of Contact cannot be reached on Telegram")
        buttons: tuple[tuple[str, str], ...] = ()
        if message.id in batch.letters:
            buttons = letter_buttons(delivery.id, rendered.language)
        elif message.kind == REMINDER_KIND:
            buttons = reply_buttons(delivery.id, rendered.language)
        elif message.template == FOLLOW_UP_TEMPLATE:
            buttons = answer_buttons(delivery.id, rendered.language)
        return OutgoingTelegram(delivery_id=delivery.id, chat_id=poc.telegram_chat_id,
                                html=rendered.telegram, buttons=buttons)
