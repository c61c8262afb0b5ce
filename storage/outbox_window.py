"""A window of deliveries sent at once: marked `sending` in one commit, their outcomes written
in one batched statement (the dispatcher's window, OUTREACH_MAIL_WINDOW).

The guarantees are those of storage.outbox, for K deliveries at a time instead of one: only
the lease's owner moves a row, and only from the states the step expects (a conditional
UPDATE, as `mark_sending` and `record_*`); `sending` is committed before any of the window is
handed to the network, so a crash leaves at most the window's K rows `sending`, which the
sweep turns `uncertain`, never resent by the machine.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, or_, update
from sqlalchemy.engine import CursorResult
from sqlmodel import Session, col

from storage.columns import within
from storage.outbox import CLAIMABLE, LAST_ERROR_MAX, Delivery, DeliveryState

__all__ = ["RecordedOutcome", "mark_window_sending", "record_outcomes"]

_RECORDABLE = (DeliveryState.SENDING, DeliveryState.UNCERTAIN)  # as storage.outbox's


@dataclass(frozen=True)
class RecordedOutcome:
    """A delivery's row after its send: its new state and the columns that go with it."""

    delivery_id: int
    state: DeliveryState  # sent, retry, failed or uncertain
    last_error: str
    next_attempt_at: datetime  # a retry's next attempt; otherwise the row's own
    external_id: str | None  # the far end's id once sent; otherwise the row's own
    sent_at: datetime | None


def mark_window_sending(*, session: Session, delivery_ids: list[int], owner: str,
                        now: datetime, lease: timedelta) -> set[int]:
    """Mark `owner`'s claimed deliveries `sending`, committed: the ids it may send now.

    One UPDATE and one commit for the window; the commit also carries whatever the caller
    staged (the previous window's outcomes). A row whose lease ran out and was claimed by
    someone else is not updated and not returned: the caller must not send it.
    """
    if not delivery_ids:
        return set()
    result = session.exec(
        update(Delivery)
        .where(col(Delivery.id).in_(delivery_ids), col(Delivery.lease_owner) == owner,
               col(Delivery.state).in_(CLAIMABLE))
        .values(state=DeliveryState.SENDING, attempts=Delivery.attempts + 1,
                lease_until=now + lease, updated_at=now)
        .returning(col(Delivery.id))
        .execution_options(synchronize_session=False)
    )
    marked = {int(row[0]) for row in result}
    session.commit()
    return marked


def record_outcomes(*, session: Session, owner: str, now: datetime,
                    outcomes: list[RecordedOutcome], commit: bool = False) -> int:
    """Write the window's outcomes in one batched UPDATE (executemany); rows changed.

    Staged in the caller's transaction unless `commit`: the next window's `sending` commit
    carries them, and a crash before it leaves them `sending`, hence `uncertain`, as a lost
    single outcome would. As storage.outbox.record_*: only the lease's owner, only from
    `sending` or `uncertain` (the owner still knows better than a sweep).
    """
    if not outcomes:
        return 0
    table = Delivery.__table__  # type: ignore[attr-defined]
    statement = (
        update(table)
        .where(table.c.id == bindparam("b_id"), table.c.lease_owner == owner,
               or_(*(table.c.state == state for state in _RECORDABLE)))  # no IN: executemany
        .values(state=bindparam("b_state"), last_error=bindparam("b_error"),
                next_attempt_at=bindparam("b_next"), external_id=bindparam("b_external"),
                sent_at=bindparam("b_sent_at"), lease_owner=None, lease_until=None,
                updated_at=now)
    )
    rows = [{"b_id": o.delivery_id, "b_state": str(o.state),
             "b_error": within(o.last_error, LAST_ERROR_MAX), "b_next": o.next_attempt_at,
             "b_external": o.external_id, "b_sent_at": o.sent_at} for o in outcomes]
    result = session.connection().execute(statement, rows)
    assert isinstance(result, CursorResult)
    if commit:
        session.commit()
    return int(result.rowcount)
