"""A year after a match: the requesting State's follow-up queued by the assistance sweep, as
the service queues it, for the specs of its answers (Telegram buttons, e-mail links)."""

from datetime import UTC, date, datetime

from sqlmodel import Session, select

from scheduler.assistance import step_days
from scheduler.assistance_sweep import chase
from storage.assistance import chasing, providers, requests
from storage.assistance.requests import Need, RequestFields
from storage.outbox import Delivery, OutboxMessage
from storage.parties import Party
from tests.support.outbox import NOW

LATER = datetime(2027, 6, 1, 12, 0, tzinfo=UTC)  # a weekday, in working hours in UTC


def _party(session: Session, code: str) -> Party:
    return session.exec(select(Party).where(Party.code == code)).one()


def queue_follow_up(session: Session, state: str = "KEN") -> int:
    """A request of `state` (areas training, border controls) matched on 10 March 2026 with
    the IAEA, and the sweep at LATER queuing its follow-up to the State's assistance PoCs
    (added by the caller); the request's id."""
    made = requests.add(session=session, party=_party(session, state), fields=RequestFields(
        received_on=date(2026, 3, 1), channel="template",
        needs=(Need("training"), Need("op3_cd"))), actor="ana", now=NOW)
    requests.advance(session=session, request=made, to="open", on=date(2026, 3, 2),
                     actor="ana", now=NOW)
    provider = providers.register(session=session, party=_party(session, "IAEA"),
                                  registered_on=date(2016, 1, 1),
                                  areas=["training", "op3_cd"], actor="ana", now=NOW)
    providers.match(session=session, request=made, provider=provider, on=date(2026, 3, 10),
                    actor="ana", now=NOW)
    chasing.set_chasing(session=session, enabled=True, actor="ana", now=NOW)
    session.commit()
    assert made.id is not None
    assert chase(session=session, now=LATER, durations=step_days()).follow_ups == [made.id]
    return made.id


def follow_up_deliveries(session: Session) -> dict[str, int]:
    """channel -> the id of the follow-up's delivery by it."""
    rows = session.exec(select(Delivery, OutboxMessage).join(
        OutboxMessage, OutboxMessage.id == Delivery.message_id)  # type: ignore[arg-type]
        .where(OutboxMessage.template == "assistance_follow_up"))
    return {str(delivery.channel): int(delivery.id or 0) for delivery, _ in rows}
