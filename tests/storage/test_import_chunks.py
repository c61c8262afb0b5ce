"""The events, submissions and assistance importers look stored rows up a chunk at a time:
a file over several chunks finds each stored row, whichever chunk names it (chunks of two
here)."""

from datetime import UTC, datetime, time

import pytest
from sqlmodel import Session

from storage.imports import assistance as assistance_import
from storage.imports import events as event_import
from storage.imports import submissions as submission_import
from storage.imports.common import ImportReport
from storage.imports.tabular import parse_csv_text
from tests.support.import_files import TODAY

NOW = datetime.combine(TODAY, time(14, 0), tzinfo=UTC)

SUBMISSIONS = (
    "state,kind,date,note\n"
    "FRA,first_report,2004-10-28,\n"
    "KEN,first_report,2005-03-01,\n"
    "KEN,additional_info,2019-06-12,follow-up\n"
)
EVENTS = (
    "start_date,title,mode,type,organisers,notes\n"
    "2023-03-14,Regional workshop on export controls,in_person,workshop,UNODA,\n"
    "2023-06-08,Webinar on national reporting,virtual,webinar,committee,\n"
    "2023-06-08,Séminaire sur les rapports nationaux,virtual,webinar,committee,\n"
)


@pytest.fixture(autouse=True)
def chunks_of_two(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(submission_import, "CHUNK_ROWS", 2)
    monkeypatch.setattr(event_import, "CHUNK_ROWS", 2)
    monkeypatch.setattr(assistance_import, "CHUNK_ROWS", 2)


def counted(report: ImportReport) -> tuple[int, int, int]:
    assert report.problems == []
    return report.created, report.updated, report.unchanged


def test_submissions_over_several_chunks_are_matched_to_the_stored_ones(
    session: Session,
) -> None:
    first = submission_import.import_submissions(
        session=session, table=parse_csv_text(SUBMISSIONS), actor="t", today=TODAY, now=NOW)
    assert counted(first) == (3, 0, 0)
    again = (
        "state,kind,date,note\n"
        "GHA,first_report,2006-01-10,\n"
        "KEN,additional_info,2019-06-12,second follow-up\n"
        "FRA,first_report,2004-10-28,\n"
        "GHA,additional_info,2020-02-02,\n"
        "KEN,first_report,2005-03-01,\n"
    )
    report = submission_import.import_submissions(
        session=session, table=parse_csv_text(again), actor="t", today=TODAY, now=NOW)
    assert counted(report) == (2, 1, 2)


def test_events_over_several_chunks_are_matched_whatever_the_case_of_their_title(
    session: Session,
) -> None:
    first = event_import.import_events(
        session=session, table=parse_csv_text(EVENTS), actor="t", today=TODAY, now=NOW)
    assert counted(first) == (3, 0, 0)
    again = (
        "start_date,title,mode,type,organisers,notes\n"
        "2024-01-09,A new briefing,virtual,webinar,committee,\n"
        "2023-06-08,SÉMINAIRE SUR LES RAPPORTS NATIONAUX,virtual,webinar,committee,\n"
        "2023-03-14,Regional workshop on export controls,in_person,workshop,UNODA,changed\n"
        "2023-06-08,Webinar on national reporting,virtual,webinar,committee,\n"
    )
    report = event_import.import_events(
        session=session, table=parse_csv_text(again), actor="t", today=TODAY, now=NOW)
    assert counted(report) == (1, 2, 1)


ASSISTANCE = (
    "state,received_on,channel,needs,reference,summary\n"
    "KEN,2019-03-04,template,training,NV/2019/12,Border controls\n"
    "VNM,2017-06-01,note_verbale,legislation,,Drafting a law\n"
    "CIV,2020-02-02,national_report,equipment/biological,CIV-1,\n"
)


def test_assistance_over_several_chunks_is_matched_to_the_stored_requests(
    session: Session,
) -> None:
    first = assistance_import.import_assistance(
        session=session, table=parse_csv_text(ASSISTANCE), actor="t", today=TODAY, now=NOW)
    assert counted(first) == (3, 0, 0)
    again = ASSISTANCE.replace("Drafting a law", "Drafting a law on export controls") + (
        "GHA,2021-05-05,note_verbale,training,GH-1,\n")
    report = assistance_import.import_assistance(
        session=session, table=parse_csv_text(again), actor="t", today=TODAY, now=NOW)
    assert counted(report) == (1, 1, 2)
