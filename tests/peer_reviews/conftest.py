"""The demo's invented records for the specs of this folder."""

import pytest
from sqlmodel import Session

from bot.demo.events import EVENT_COLUMNS, build_paper_events
from bot.demo.monitoring import load_invented_monitoring
from storage import parties
from storage.imports.events import import_events
from storage.imports.tabular import Table
from tests.support.outbox import NOW


@pytest.fixture
def invented(session: Session) -> None:
    """The demo's invented events (the reviews' meetings) and its monitoring records."""
    states = [p.code for p in parties.states(session=session)]
    organisations = [p.code for p in parties.organisations(session=session)]
    rows = build_paper_events(states, organisations)
    table = Table(columns=list(EVENT_COLUMNS),
                  rows=[(line, row) for line, row in enumerate(rows, start=2)])
    report = import_events(session=session, table=table, actor="test", today=NOW.date(),
                           now=NOW)
    assert not report.problems, report.problems
    load_invented_monitoring(session, NOW)
    session.commit()
