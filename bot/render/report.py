"""The transparency report in five formats, all from one structure of the figures.

`report_data` is the one mapping from storage.figures.statistics to named values (its keys are the
JSON keys documented in docs/report-json.md); CSV and XLSX are its rows, the HTML page its
tables, the text the paper's sentences over the same dataclasses. No format computes a figure.

openpyxl is imported when a workbook is written: `outreach report` in the other formats, and
the CLI at start, do without it.
"""

import io
from collections.abc import Iterator, Mapping
from enum import StrEnum
from typing import Any

from bot.render.letters import letters_data
from bot.render.monitoring import action_plan_drafts, coordinators, peer_reviews
from bot.render.tables import append_row, as_csv, as_json
from bot.render.templates import DEFAULT_LANGUAGE, environment, long_date, render
from bot.render.words import labels
from storage.figures.assistance import AssistanceFigures
from storage.figures.matrices import MatrixFigures
from storage.figures.period import Period
from storage.figures.statistics import EventKindFigures, TransparencyFigures, percent
from storage.figures.trainings import TrainingFigures
from storage.figures.visits import CooperationFigures, VisitOutcomeFigures


class ReportFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    CSV = "csv"
    HTML = "html"
    XLSX = "xlsx"


# Sections of report_data, in the order of the page (the paper's order: 7 first, as the
# report is about outreach, then 4.2, 4.3, 4.4, 6 (coordinators), 4.6, 4.5, 4.7, 5, 6 and the
# letters of sections 2 and 6).
SECTIONS = ("outreach", "reporting", "matrices", "points_of_contact", "trainings",
            "coordinators", "action_plans", "visits", "peer_reviews", "assistance",
            "cooperation", "letters")
# The sections counted over the monitoring window (TransparencyFigures.monitoring, `outreach
# report --since`) rather than the outreach period: one line each.
MONITORED_SECTIONS = (
    "reporting",
    "trainings",
)
CSV_COLUMNS = ("section", "figure", "value")


def _by_year(counts: Mapping[int, int]) -> dict[str, int]:
    return {str(year): count for year, count in counts.items()}


def _event_kind(figures: EventKindFigures) -> dict[str, Any]:
    return {"events": figures.events, "states": figures.states,
            "by_year": _by_year(figures.by_year),
            "states_by_year": _by_year(figures.states_by_year)}


def _visits(kind: EventKindFigures, outcomes: VisitOutcomeFigures) -> dict[str, Any]:
    return {**_event_kind(kind), "invited": outcomes.invited,
            "by_outcome": dict(outcomes.by_outcome),
            "outcomes_with_submission": dict(outcomes.with_submission),
            "by_authority": dict(outcomes.by_authority)}


def _cooperation(figures: CooperationFigures) -> dict[str, Any]:
    return {"visits_by_lead_body": dict(figures.visits_by_lead_body),
            "states_by_lead_body": dict(figures.states_by_lead_body)}


def _assistance(figures: AssistanceFigures) -> dict[str, Any]:
    return {
        "requests": figures.requests,
        "requesting_states": figures.requesting_states,
        "maintained_states": figures.maintained_states,
        "states_by_area": {str(area): count for area, count in figures.states_by_area.items()},
        "published": {"requests": figures.published_requests,
                      "states": figures.published_states},
        "registered_providers": {"organisations": figures.registered_organisations,
                                 "states": figures.registered_states},
        "organisation_responses": {"organisations": figures.responding_organisations,
                                   "requests": figures.requests_answered_by_organisations},
        "regional_conferences": figures.regional_conferences,
    }


def _matrices(figures: MatrixFigures) -> dict[str, Any]:
    now, then = figures.now, figures.then
    return {
        "as_of": now.on.isoformat(),
        "since": then.on.isoformat(),
        "states": now.states,
        "states_since": then.states,
        "overall": {"recorded": now.overall.recorded, "possible": now.overall.possible,
                    "percent": now.overall.percent},
        "by_section": {key: share.percent for key, share in now.by_section.items()},
        "by_category": {key: share.percent for key, share in now.by_category.items()},
        "by_regional_group": {key: share.percent
                              for key, share in now.by_regional_group.items()},
        "percent_since": then.overall.percent,
        "change_points": figures.change,
        "change_by_regional_group": figures.change_by_regional_group,
        "approved": figures.approved,
        "published": figures.published,
    }


def section_period(figures: TransparencyFigures, section: str) -> Period:
    """The window a section of the report counts over."""
    return figures.monitoring if section in MONITORED_SECTIONS else figures.period


def _trainings(figures: TrainingFigures) -> dict[str, Any]:
    return {
        "courses": figures.courses,
        "by_region": dict(figures.by_region),
        "hosts_by_region": {region: list(hosts)
                            for region, hosts in figures.hosts_by_region.items()},
        "pocs_attended": figures.pocs_attended,
        "states_attended": figures.states_attended,
        "attended": list(figures.attended),
        "states_never_attended": figures.states_never_attended,
        "never_attended": list(figures.never_attended),
    }


def _freshness(figures: TransparencyFigures) -> dict[str, Any]:
    fresh = figures.freshness
    return {
        "non_reporting_states_at_start": fresh.non_reporting_states_at_start,
        "non_reporting_at_start": list(fresh.non_reporting_at_start),
        "states_by_latest_year": _by_year(fresh.by_latest_year),
        "silent_since": {"year": fresh.silent_since, "count": fresh.silent_states,
                         "states": list(fresh.silent)},
    }


def _window(period: Period) -> dict[str, str]:
    return {"from": period.start.isoformat(), "to": period.end.isoformat()}


def report_data(figures: TransparencyFigures) -> dict[str, Any]:
    """The figures as plain JSON values, keys as documented in docs/report-json.md; each
    section of MONITORED_SECTIONS starts with its own `period`."""
    data = _sections(figures)
    for section in MONITORED_SECTIONS:
        data[section] = {"period": _window(figures.monitoring), **data[section]}
    return data


def _sections(figures: TransparencyFigures) -> dict[str, Any]:
    outreach, reporting = figures.outreach, figures.reporting
    return {
        "period": _window(figures.period),
        "outreach": {
            "events": outreach.events,
            "events_states_and_civil_society": outreach.events_states_and_civil_society,
            "by_audience": dict(outreach.by_audience),
            "events_with_organisations": {
                "count": outreach.events_with_organisations,
                "percent": outreach.percent_with_organisations,
            },
            "by_iro_involvement": dict(outreach.by_iro_involvement),
            "by_type": dict(outreach.by_type),
            "by_regional_group": dict(outreach.by_regional_group),
            "by_year": _by_year(outreach.by_year),
            "by_year_and_audience": {str(year): dict(counts) for year, counts
                                     in outreach.by_year_and_audience.items()},
        },
        "reporting": {
            "member_states": reporting.member_states,
            "reporting_states": reporting.reporting_states,
            "non_reporting_states": reporting.non_reporting_states,
            "non_reporting": list(reporting.non_reporting),
            "states_by_report_count": dict(reporting.states_by_report_count),
            "states_submitting": {
                "count": reporting.states_submitting_since,
                "percent": percent(reporting.states_submitting_since, reporting.member_states),
            },
            **_freshness(figures),
        },
        "matrices": _matrices(figures.matrices),
        "points_of_contact": {
            "states_with_poc": reporting.states_with_poc,
            "organisations_with_poc": reporting.orgs_with_poc,
        },
        "trainings": _trainings(figures.trainings),
        "coordinators": coordinators(figures.coordinators),
        "action_plans": {"count": reporting.action_plans, "states": reporting.action_plan_states,
                         **action_plan_drafts(figures.action_plans_in_preparation)},
        "visits": _visits(figures.visits, figures.visit_outcomes),
        "peer_reviews": peer_reviews(figures.peer_reviews),
        "assistance": _assistance(figures.assistance),
        "cooperation": _cooperation(figures.cooperation),
        "letters": letters_data(figures.letters),
    }


def _flatten(prefix: str, value: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(value, Mapping):
        for key, item in value.items():
            yield from _flatten(f"{prefix}.{key}" if prefix else str(key), item)
    elif isinstance(value, list):
        yield prefix, ";".join(str(item) for item in value)
    else:
        yield prefix, value


def report_rows(figures: TransparencyFigures) -> list[tuple[str, str, Any]]:
    """(section, figure, value): the JSON's leaves, figure as a dotted path inside its section."""
    return [(section, figure, value)
            for section, content in report_data(figures).items()
            for figure, value in _flatten("", content)]


def report_json(figures: TransparencyFigures) -> str:
    return as_json(report_data(figures))


def report_csv(figures: TransparencyFigures) -> str:
    rows = [dict(zip(CSV_COLUMNS, row, strict=True)) for row in report_rows(figures)]
    return as_csv(rows, CSV_COLUMNS)


def report_xlsx(figures: TransparencyFigures) -> bytes:
    """A workbook with a sheet per section (period first), each with figure and value."""
    from openpyxl import Workbook

    workbook = Workbook()
    first = workbook.active
    assert first is not None
    workbook.remove(first)
    for section, figure, value in report_rows(figures):
        sheet = workbook[section] if section in workbook.sheetnames else None
        if sheet is None:
            sheet = workbook.create_sheet(section)
            append_row(sheet, ["figure", "value"])
        append_row(sheet, [figure, value])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def report_text(figures: TransparencyFigures, language: str) -> str:
    """The paper's sentences (templates/report/<lang>/report.txt.j2, English if none)."""
    if f"report/{language}/report.txt.j2" not in environment().list_templates():
        language = DEFAULT_LANGUAGE
    return render("report/report.txt.j2", language, figures=figures, data=report_data(figures),
                  words=labels(language), start=long_date(figures.period.start, language),
                  end=long_date(figures.period.end, language),
                  since=long_date(figures.monitoring.start, language))
