"""The invented data set built to the seed paper's figures, loaded for the output specs."""

from pathlib import Path

from sqlmodel import Session

from bot.demo import load_invented_data

# The paper's outreach period (section 7) and its published figures.
PAPER_FROM = "2016-04-26"
PAPER_TO = "2022-04-15"
PAPER = {"events": 249, "percent_with_organisations": 82, "states_and_civil_society": 144,
         "states": 104, "academia": 15, "industry": 17, "parliamentarians": 10}


def load_paper_data(session: Session, folder: Path) -> None:
    """The invented PoCs, submissions and events, imported through the real importers."""
    folder.mkdir(parents=True, exist_ok=True)
    load_invented_data(session, folder)
    session.commit()
