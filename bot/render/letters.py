"""The `letters` section of report_data: letters expecting a response sent in the period,
whom they were written to, who responded and substantively (keys in docs/report-json.md)."""

from collections.abc import Sequence
from typing import Any

from storage.figures.letters import LetterSummary


def _key(item: LetterSummary) -> str:
    """A letter's key in the by-letter figures: the day it was sent and its id."""
    return f"{item.sent_on.isoformat() if item.sent_on else '-'} #{item.letter}"


def letters_data(letters: Sequence[LetterSummary]) -> dict[str, Any]:
    return {
        "letters": len(letters),
        "written_to": sum(item.written_to for item in letters),
        "written_to_organisations": sum(item.written_to_organisations for item in letters),
        "responded": sum(item.responded for item in letters),
        "substantive": sum(item.substantive for item in letters),
        "promised": sum(item.promised for item in letters),
        "written_to_by_letter": {_key(item): item.written_to for item in letters},
        "responded_by_letter": {_key(item): item.responded for item in letters},
        "substantive_by_letter": {_key(item): item.substantive for item in letters},
    }
