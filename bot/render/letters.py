"""The `letters` section of report_data: letters expecting a response sent in the period,
whom they were written to, who responded and substantively, summed over the letters, and
the same letter by letter under `by_letter`, keyed by the letter's id (keys in
docs/report-json.md; CSV and XLSX get them as rows `by_letter.<id>.<figure>`)."""

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
        "by_letter": {str(item.letter): _one(item) for item in letters},
    }


def _one(item: LetterSummary) -> dict[str, Any]:
    return {
        "id": item.letter,
        "sent_on": item.sent_on.isoformat() if item.sent_on else None,
        "due_on": item.due_on.isoformat(),
        "written_to": item.written_to,
        "written_to_organisations": item.written_to_organisations,
        "responded": item.responded,
        "substantive": item.substantive,
        "promised": item.promised,
        "not_answered": item.awaiting,
    }
