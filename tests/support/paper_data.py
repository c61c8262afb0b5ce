"""The invented data set built to the seed paper's figures, loaded for the output specs."""

from pathlib import Path

from sqlmodel import Session

from bot.demo.assistance import load_invented_assistance
from bot.demo.events import EVENT_COLUMNS, build_paper_events
from bot.demo.matrices import load_invented_matrices
from bot.demo.run import load_invented_data
from bot.demo.visits import load_invented_visits
from storage import parties
from storage.imports.events import import_events
from storage.imports.tabular import Table
from tests.support.outbox import NOW

# The paper's outreach period (section 7) and its published figures.
PAPER_FROM = "2016-04-26"
PAPER_TO = "2022-04-15"
PAPER = {"events": 249, "percent_with_organisations": 82, "states_and_civil_society": 144,
         "states": 104, "academia": 15, "industry": 17, "parliamentarians": 10}


def load_paper_data(session: Session, folder: Path) -> None:
    """The invented PoCs, submissions and events, imported through the real importers."""
    folder.mkdir(parents=True, exist_ok=True)
    load_invented_data(session, folder, NOW)
    session.commit()


def load_paper_events(session: Session) -> None:
    """Only the invented events, assistance and visits (faster): enough for the figures of
    /stats."""
    states = [p.code for p in parties.states(session=session)]
    organisations = [p.code for p in parties.organisations(session=session)]
    rows = build_paper_events(states, organisations)
    table = Table(columns=list(EVENT_COLUMNS),
                  rows=[(line, row) for line, row in enumerate(rows, start=2)])
    report = import_events(session=session, table=table, actor="test", today=NOW.date(),
                           now=NOW)
    assert not report.problems, report.problems
    load_invented_assistance(session, NOW)
    load_invented_visits(session, NOW)
    session.commit()


def load_paper_matrices(session: Session) -> None:
    """Only the demo's invented matrices (section 4.3), as `outreach demo` loads them."""
    load_invented_matrices(session, NOW)
    session.commit()
