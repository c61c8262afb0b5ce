"""The Chair's messages on the clock: release the approved ones whose time has come, and
mark released ones sent once none of their deliveries is still under way."""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from storage.chair_release import Release, release_due, settle

CHAIR_ACTOR = "system:chair-release"


@dataclass(frozen=True)
class ChairTickReport:
    released: list[Release]
    settled: list[int]


def release_and_settle(*, session: Session, now: datetime) -> ChairTickReport:
    """One tick; commits. Safe to run twice at once: release happens once per message."""
    released = release_due(session=session, actor=CHAIR_ACTOR, now=now)
    settled = settle(session=session, actor=CHAIR_ACTOR, now=now)
    return ChairTickReport(released=released, settled=settled)


def settle_finished(*, session: Session, now: datetime) -> list[int]:
    """Released messages whose deliveries have all finished become sent; commits. For a
    dispatch run that has just sent them (`outreach dispatch`)."""
    return settle(session=session, actor=CHAIR_ACTOR, now=now)
