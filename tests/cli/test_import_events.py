"""Importing outreach events: checked row by row, written whole or not at all."""

from collections.abc import Callable
from datetime import date
from pathlib import Path

from openpyxl import load_workbook
from sqlmodel import Session, func, select

from storage.audit import AuditEntry
from storage.events import Event, EventAudience, EventOrganiser
from storage.imports.events import validate_row
from tests.support.cli import Invoke
from tests.support.paths import REPO

HEADER = ("start_date,end_date,title,city,country,mode,type,organisers,iro_involvement,"
          "audiences,participants,committee_role,source_url,notes\n")
GOOD = (
    "2023-03-14,2023-03-16,Regional workshop on export controls,Nairobi,KEN,in_person,"
    "workshop,UNODA;KEN,co_organised,states;industry,45,expert,"
    "https://example.org/nairobi,invented\n"
    "2023-06-08,,Webinar on national reporting,,,virtual,webinar,committee,organised,"
    "states,120,chair,,\n"
    "2024-02-20,2024-02-21,PoC training course,Mexico City,Mexico,hybrid,poc_training,"
    "unoda;MEX,involved,organisations;states,30,,,\n"
)


def count(session: Session, model: type[Event] | type[EventAudience] | type[EventOrganiser]
          ) -> int:
    session.expire_all()
    return session.exec(select(func.count()).select_from(model)).one()


def test_it_imports_events_with_their_audiences_and_organisers(
    outreach: Invoke, write_file: Callable[..., Path], session: Session
) -> None:
    result = outreach("import", "events", str(write_file("e.csv", HEADER + GOOD)))
    assert result.exit_code == 0, result.output
    assert "3 created" in result.output
    assert count(session, Event) == 3
    assert count(session, EventAudience) == 5
    assert count(session, EventOrganiser) == 5
    webinar = session.exec(select(Event).where(Event.mode == "virtual")).one()
    assert webinar.end_date == webinar.start_date
    assert webinar.country_party_id is None
    exported = outreach("export", "events").output
    assert "UNODA;MEX" in exported
    assert "states;organisations" in exported
    assert session.exec(select(func.count()).select_from(AuditEntry)
                        .where(AuditEntry.entity == "event")).one() == 3


def test_reimporting_changes_nothing_and_a_changed_row_updates_the_event(
    outreach: Invoke, write_file: Callable[..., Path], session: Session
) -> None:
    outreach("import", "events", str(write_file("e.csv", HEADER + GOOD)))
    again = outreach("import", "events", str(write_file("f.csv", HEADER + GOOD)))
    assert "0 created, 0 updated, 3 unchanged" in again.output
    changed = GOOD.replace("states;industry,45", "states;academia,50")
    result = outreach("import", "events", str(write_file("g.csv", HEADER + changed)))
    assert "0 created, 1 updated, 2 unchanged" in result.output
    assert count(session, Event) == 3


def test_columns_absent_from_the_file_keep_their_stored_values(
    outreach: Invoke, write_file: Callable[..., Path], session: Session
) -> None:
    outreach("import", "events", str(write_file("e.csv", HEADER + GOOD)))
    short = "start_date,title,notes\n2023-03-14,Regional workshop on export controls,invented\n"
    result = outreach("import", "events", str(write_file("f.csv", short)))
    assert "0 created, 0 updated, 1 unchanged" in result.output
    # the title matches whatever its case, and the new spelling is kept
    shouted = short.replace("Regional workshop on export controls",
                            "REGIONAL WORKSHOP ON EXPORT CONTROLS")
    result = outreach("import", "events", str(write_file("g.csv", shouted)))
    assert "0 created, 1 updated, 0 unchanged" in result.output
    assert count(session, Event) == 3
    assert count(session, EventOrganiser) == 5
    assert count(session, EventAudience) == 5


def test_every_bad_row_is_reported_and_nothing_is_written(
    outreach: Invoke, write_file: Callable[..., Path], session: Session
) -> None:
    bad = HEADER + GOOD + (
        "2023-01-01,,Bad type,,,,party,,,,,,,\n"  # line 5
        "2023-01-02,,Bad organiser,,,,,UNODAA,,,,,,\n"  # line 6
        "2023-01-05,2023-01-03,Ends too early,,,,,,,,,,,\n"  # line 7
        "2023-01-06,,Bad participants,,,,,,,,-3,,,\n"  # line 8
        "2099-01-01,,In the future,,,,,,,,,,,\n"  # line 9
        "2023-01-07,,Bad link,,,,,,,,,,example.org/x,\n"  # line 10
        "2023-01-08,,Bad audience,,,,,,,students,,,,\n"  # line 11
        "2023-06-08,,webinar on NATIONAL reporting,,,,,,,,,,,\n"  # line 12: as line 3
        "2023-01-09,,Bad country,,Frnace,,,,,,,,,\n"  # line 13
    )
    result = outreach("import", "events", str(write_file("bad.csv", bad)))
    assert result.exit_code == 1
    errors = result.stderr
    assert 'line 5: unknown event type "party" (use one of: workshop, conference,' in errors
    assert 'line 6: unknown organiser "UNODAA"' in errors
    assert "(did you mean UNODA (United Nations Office for Disarmament Affairs)?)" in errors
    assert "line 7: the event ends (2023-01-03) before it starts (2023-01-05)" in errors
    assert 'line 8: "participants" must be a whole number, 0 or more: "-3"' in errors
    assert 'line 9: "start_date" is in the future: 2099-01-01' in errors
    assert 'line 10: "source_url" must start with http:// or https://' in errors
    assert 'line 11: unknown audience "students" (use one of: states, academia,' in errors
    assert "line 12: duplicate of line 3" in errors
    assert 'line 13: unknown State "Frnace" (did you mean FRA (France)?)' in errors
    assert "Nothing was imported: 9 problems in 12 rows" in errors
    assert count(session, Event) == 0
    assert count(session, EventOrganiser) == 0


def test_an_exported_file_imports_back_unchanged(
    outreach: Invoke, write_file: Callable[..., Path], tmp_path: Path
) -> None:
    outreach("import", "events", str(write_file("e.csv", HEADER + GOOD)))
    out = tmp_path / "events.csv"
    assert outreach("export", "events", "--out", str(out)).exit_code == 0
    again = outreach("import", "events", str(out))
    assert again.exit_code == 0, again.output
    assert "0 created, 0 updated, 3 unchanged" in again.output


def test_the_xlsx_export_opens_and_imports_back_unchanged(
    outreach: Invoke, write_file: Callable[..., Path], tmp_path: Path
) -> None:
    outreach("import", "events", str(write_file("e.csv", HEADER + GOOD)))
    out = tmp_path / "events.xlsx"
    result = outreach("export", "events", "--format", "xlsx", "--out", str(out))
    assert result.exit_code == 0, result.output
    workbook = load_workbook(out, read_only=True)
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    assert rows[0][:3] == ("start_date", "end_date", "title")
    assert len(rows) == 4
    again = outreach("import", "events", str(out))
    assert "0 created, 0 updated, 3 unchanged" in again.output


def test_the_example_file_imports(outreach: Invoke) -> None:
    example = REPO / "examples" / "events.csv"
    result = outreach("import", "events", str(example))
    assert result.exit_code == 0, result.output
    assert "4 created" in result.output


def test_a_title_differing_only_in_accented_capitals_is_the_same_event(
    outreach: Invoke, write_file: Callable[..., Path]
) -> None:
    first = "start_date,title\n2021-05-04,Séminaire régional sur les contrôles\n"
    again = "start_date,title\n2021-05-04,SÉMINAIRE RÉGIONAL SUR LES CONTRÔLES\n"
    assert "1 created" in outreach("import", "events", str(write_file("a.csv", first))).output
    result = outreach("import", "events", str(write_file("b.csv", again)))
    assert "0 created, 1 updated" in result.output


def test_one_row_is_validated_as_the_importer_validates_a_line(session: Session) -> None:
    row = {"start_date": "2023-03-14", "end_date": "2023-03-16", "title": "Workshop",
           "country": "KEN", "audiences": "industry;states", "organisers": "unoda;KEN"}
    fields, problems = validate_row(session=session, row=row, today=date(2024, 1, 1))
    assert problems == [] and fields is not None
    assert (fields.end_date, fields.audiences, fields.organisers, fields.mode) == (
        date(2023, 3, 16), ("states", "industry"), ("UNODA", "KEN"), "in_person")
    bad = {"start_date": "2023-03-14", "end_date": "2023-03-01", "title": "Workshop",
           "colour": "red"}
    assert validate_row(session=session, row=bad, today=date(2024, 1, 1))[1][0].code == (
        "unknown_column")
    del bad["colour"]
    fields, problems = validate_row(session=session, row=bad, today=date(2024, 1, 1))
    assert fields is None
    assert [(problem.line, problem.code) for problem in problems] == [
        (None, "end_before_start")]
