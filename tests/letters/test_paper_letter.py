"""The demo's invented Chair's letter of 2 June 2020 to the organisations reproduces the seed
paper's sections 2 and 6: "Thirteen have provided substantive responses", of the 22
organisations written to, in the report of the paper's period."""

from pathlib import Path

from sqlmodel import Session

from bot.render.report import report_data
from storage.figures.statistics import PAPER_PERIOD, transparency_figures
from tests.support.paper_data import load_paper_data


def test_the_demo_letter_has_13_substantive_responses_of_22_organisations(
    session: Session, tmp_path: Path
) -> None:
    load_paper_data(session, tmp_path / "demo")
    data = report_data(transparency_figures(session=session, period=PAPER_PERIOD))["letters"]
    assert (data["letters"], data["written_to"], data["written_to_organisations"],
            data["responded"], data["substantive"]) == (1, 22, 22, 15, 13)
    assert data["promised"] == 0  # its promise (30 September 2020) lapsed unkept
