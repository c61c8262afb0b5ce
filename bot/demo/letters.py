"""An invented letter reproducing the seed paper's sections 2 and 6: "The Chair wrote to
international, regional and subregional organisations on 2 June 2020 requesting written
submissions ... Thirteen have provided substantive responses".

The letter went to every organisation with an active PoC in the demo (22), as a message
expecting a response by 31 July 2020 (the due date is invented: the paper names none); 13
organisations responded substantively by note verbale, 2 responded without substance, 1
promised a response by 30 September 2020 and never sent it, and 6 did not answer. Its text,
the dates of the responses and which organisations answered are invented; no person
appears. Written through storage.outbox and storage.letters (as `outreach send
--expect-response-by` and `outreach responses record` would); the deliveries are marked as
sent on 2 June 2020, history rather than mail to send now. Same rows every time.
"""

from datetime import UTC, date, datetime, timedelta
from typing import Final

from sqlmodel import Session, col, select

from storage import letters, outbox
from storage.letters import ResponseKind
from storage.outbox import Delivery, DeliveryState
from storage.parties import Party, PartyKind
from storage.pocs import PocStatus, PointOfContact

ACTOR: Final = "demo"
SENT_AT: Final = datetime(2020, 6, 2, 14, 0, tzinfo=UTC)
DUE_ON: Final = date(2020, 7, 31)
SUBSTANTIVE: Final = 13
NOT_SUBSTANTIVE: Final = 2
PROMISED_BY: Final = date(2020, 9, 30)
SUBJECT: Final = "Comprehensive review of resolution 1540 (2004): written submissions"
TEXT: Final = ("*Invented for the demo.* The Chair of the 1540 Committee invites your "
               "organisation to submit in writing its views on the implementation of "
               "resolution 1540 (2004) for the comprehensive review.")


def load_invented_letter(session: Session) -> int:
    """The letter and its responses; the letter's id."""
    organisations = list(session.exec(
        select(Party).where(Party.kind != PartyKind.STATE).order_by(col(Party.code))))
    poc_ids = [poc.id or 0 for poc in session.exec(
        select(PointOfContact).where(
            col(PointOfContact.party_id).in_([p.id for p in organisations]),
            PointOfContact.status == PocStatus.ACTIVE).order_by(col(PointOfContact.id)))]
    audience = outbox.audience_of(session=session, poc_ids=poc_ids)
    message = outbox.enqueue(
        session=session, kind="one_off", template="chair_message",
        context={"subject": SUBJECT, "markdown": TEXT},
        audience="demo: the Chair's letter to organisations",
        recipients=audience.recipients, created_by=ACTOR, now=SENT_AT)
    for delivery in session.exec(select(Delivery).where(Delivery.message_id == message.id)):
        delivery.state, delivery.sent_at, delivery.attempts = DeliveryState.SENT, SENT_AT, 1
        session.add(delivery)
    letter = letters.expect_for_message(session=session, outbox_message_id=message.id or 0,
                                        due_on=DUE_ON, actor=ACTOR, now=SENT_AT)
    written = letters.written_to(session=session, letter=letter)
    for index, party in enumerate(written):
        day = date(2020, 6, 20) + timedelta(days=3 * index)
        if index < SUBSTANTIVE + NOT_SUBSTANTIVE:
            letters.record(session=session, letter_id=letter.id or 0, party_id=party.id or 0,
                           kind=ResponseKind.RESPONSE, on=day, channel="note_verbale",
                           actor=ACTOR, now=_at(day), substantive=index < SUBSTANTIVE)
        elif index == SUBSTANTIVE + NOT_SUBSTANTIVE:
            letters.record(session=session, letter_id=letter.id or 0, party_id=party.id or 0,
                           kind=ResponseKind.PROMISE, on=day, channel="note_verbale",
                           actor=ACTOR, now=_at(day), promised_by=PROMISED_BY)
    session.flush()
    return letter.id or 0


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, 0, tzinfo=UTC)
