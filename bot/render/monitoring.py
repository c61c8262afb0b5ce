"""report_data's values for peer reviews (4.7), action plans in preparation (4.6) and regional
1540 coordinators (6); keys documented in docs/report-json.md."""

from typing import Any

from storage.figures.monitoring import CoordinatorFigures, PeerReviewFigures, PreparationFigures


def peer_reviews(figures: PeerReviewFigures) -> dict[str, Any]:
    return {
        "reviews": figures.reviews,
        "states": figures.states,
        "by_year": {str(year): count for year, count in figures.by_year.items()},
        "states_by_year": {str(year): count for year, count in figures.states_by_year.items()},
        "conducted": [line.label for line in figures.conducted],
        "meetings": figures.meetings,
    }


def action_plan_drafts(figures: PreparationFigures) -> dict[str, Any]:
    return {
        "in_preparation": figures.count,
        "in_preparation_states": [line.code for line in figures.in_preparation],
        "in_preparation_by_supporter": figures.by_supporter,
    }


def coordinators(figures: CoordinatorFigures) -> dict[str, Any]:
    return {
        "count": figures.count,
        "organisations": figures.organisations,
        "by_organisation": {code: list(regions)
                            for code, regions in figures.by_organisation.items()},
    }
