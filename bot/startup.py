"""Bring a database to the current schema with its reference data and default policies."""

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlmodel import Session

from storage.db import prepare
from storage.reference_data import ReferenceLoad, load_reference_data
from storage.reminders import ensure_default_policies
from storage.staff import bootstrap_admins


def prepare_registry(engine: Engine, *, admin_ids: Sequence[int] = ()) -> ReferenceLoad:
    """What `outreach init` and every `outreach run` start with; safe to repeat or race.

    `admin_ids` (OUTREACH_ADMIN_TELEGRAM_IDS) are made admin if they are not already.
    """
    loads: list[ReferenceLoad] = []

    def fill(session: Session) -> None:
        loads.append(load_reference_data(session=session))
        now = datetime.now(UTC)
        ensure_default_policies(session=session, today=now.date(), now=now)
        bootstrap_admins(session=session, ids=admin_ids, now=now)

    prepare(engine, fill)
    return loads[-1]
