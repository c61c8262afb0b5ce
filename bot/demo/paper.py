"""The figures of the Committee's 2022 background paper that the invented data reproduces,
and the shape of the files the demo writes (the import's columns)."""

from dataclasses import dataclass
from datetime import date
from typing import Final

from storage.parties import UN_LANGUAGES

__all__ = ["DATE_MAX", "DATE_MIN", "EMAIL_DOMAIN", "LANGUAGES", "PAPER_FIGURES", "POC_COLUMNS",
           "RECENT_SINCE", "SUBMISSION_COLUMNS", "PaperFigures"]

POC_COLUMNS: Final = (
    "party",
    "role",
    "full_name",
    "title",
    "agency",
    "email",
    "phone",
    "telegram",
    "language",
    "timezone",
    "status",
)
SUBMISSION_COLUMNS: Final = ("state", "kind", "date", "symbol", "note")

EMAIL_DOMAIN: Final = "example.org"
DATE_MIN: Final = date(2004, 4, 28)
"""Date of resolution 1540 (2004); no submission is dated earlier."""
DATE_MAX: Final = date(2022, 4, 15)
"""Cut-off of the data set; no submission is dated later."""
RECENT_SINCE: Final = date(2016, 1, 1)
"""Start of the period for which the paper counts recent submissions."""

LANGUAGES: Final = UN_LANGUAGES


@dataclass(frozen=True)
class PaperFigures:
    """The figures of the 2022 background paper that the data set reproduces."""

    member_states: int = 193
    reporting_states: int = 185
    states_with_one_report: int = 61
    states_with_two_reports: int = 28
    states_with_three_or_more_reports: int = 96
    states_submitting_since_2016: int = 75
    action_plans: int = 44
    states_with_action_plans: int = 36
    states_with_active_poc: int = 136
    organisations_with_active_poc: int = 22

    @property
    def non_reporting_states(self) -> int:
        return self.member_states - self.reporting_states


PAPER_FIGURES: Final = PaperFigures()
