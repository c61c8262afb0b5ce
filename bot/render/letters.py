"""The `letters` section of report_data: letters expecting a response sent in the period,
whom they were written to, who responded and substantively, summed over the letters (keys
in docs/report-json.md; letter by letter: the report's text, `outreach responses letters`)."""

from collections.abc import Sequence
from typing import Any

from storage.figures.letters import LetterSummary


def letters_data(letters: Sequence[LetterSummary]) -> dict[str, Any]:
    return {
        "letters": len(letters),
        "written_to": sum(item.written_to for item in letters),
        "written_to_organisations": sum(item.written_to_organisations for item in letters),
        "responded": sum(item.responded for item in letters),
        "substantive": sum(item.substantive for item in letters),
        "promised": sum(item.promised for item in letters),
    }
