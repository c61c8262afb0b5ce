"""`outreach trainings` and `outreach import trainings`: staff record the region each course
served and the PoCs who attended; a refusal says why and writes nothing; every write is
audited; an attendance file is written whole or not at all, problems named by line."""

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlmodel import Session, func, select

from storage import audit
from storage.events import EventType
from storage.trainings import TrainingAttendance, TrainingCourse
from tests.support.cli import Invoke
from tests.trainings.builders import add_course, poc_of


def courses(outreach: Invoke) -> dict[int, dict[str, object]]:
    result = outreach("trainings", "list", "--format", "json")
    assert result.exit_code == 0, result.output
    return {int(row["id"]): row for row in json.loads(result.output)}


def stored(session: Session) -> tuple[int, int]:
    session.expire_all()
    return (session.exec(select(func.count()).select_from(TrainingCourse)).one(),
            session.exec(select(func.count()).select_from(TrainingAttendance)).one())


def test_staff_record_the_region_and_who_attended_and_see_it_listed(
    outreach: Invoke, session: Session
) -> None:
    course = add_course(session, date(2018, 5, 2), "CHL")
    kaz, kgz = poc_of(session, "ARG"), poc_of(session, "BOL")
    assert courses(outreach)[course.id or 0]["region"] == ""

    result = outreach("trainings", "region", str(course.id), "latin_america")
    assert result.exit_code == 0, result.output
    assert "served the region latin_america" in result.output
    result = outreach("trainings", "attend", str(course.id), str(kaz), str(kgz))
    assert result.exit_code == 0, result.output
    assert "2 attendances recorded" in result.output
    again = outreach("trainings", "attend", str(course.id), str(kaz))
    assert "0 attendances recorded, 1 already recorded" in again.output

    row = courses(outreach)[course.id or 0]
    assert (row["host"], row["region"], row["pocs"], row["states"]) == (
        "CHL", "latin_america", 2, 2)
    shown = outreach("trainings", "show", str(course.id))
    assert "Region served: latin_america" in shown.output
    assert "ARG  Invented Person ARG" in shown.output and "BOL" in shown.output
    logged = {(e.entity, e.action) for e in audit.entries(session=session)}
    assert {("training_course", "create"), ("training_attendance", "create")} <= logged

    undone = outreach("trainings", "attend", str(course.id), str(kaz), "--undo")
    assert "1 attendance taken back" in undone.output
    assert stored(session) == (1, 1)
    assert ("training_attendance", "delete") in {
        (e.entity, e.action) for e in audit.entries(session=session)}


def test_a_refused_command_says_why_and_writes_nothing(
    outreach: Invoke, session: Session
) -> None:
    course = add_course(session, date(2018, 5, 2), "CHL")
    workshop = add_course(session, date(2018, 6, 2), "CHL", event_type=EventType.WORKSHOP,
                          title="Workshop")
    poc = poc_of(session, "ARG")

    not_a_course = outreach("trainings", "region", str(workshop.id), "caricom")
    assert not_a_course.exit_code == 1
    assert "of type workshop, not poc_training" in not_a_course.output
    unknown = outreach("trainings", "attend", "999999", str(poc))
    assert unknown.exit_code == 1 and "no course (event) 999999" in unknown.output
    bad_region = outreach("trainings", "region", str(course.id), "europe")
    assert bad_region.exit_code == 2 and "europe" in bad_region.output
    # one unknown PoC refuses the whole command: the known one is not recorded either
    unknown_poc = outreach("trainings", "attend", str(course.id), str(poc), "424242")
    assert unknown_poc.exit_code == 1 and "no PoC 424242" in unknown_poc.output
    assert stored(session) == (0, 0)


HEADER = "course,region,state,email\n"


def test_an_attendance_file_records_regions_and_pocs_and_reimports_unchanged(
    outreach: Invoke, session: Session, write_file: Callable[..., Path]
) -> None:
    first = add_course(session, date(2017, 4, 4), "BRB")
    second = add_course(session, date(2019, 4, 4), "RUS")
    for code in ("JAM", "BHS", "KAZ"):
        poc_of(session, code)
    text = (HEADER + f"{first.id},CARICOM,JAM,JAM@Example.org\n"
            f"{first.id},caricom,Bahamas,bhs@example.org\n"
            f"{second.id},OSCE region,,\n"
            f"{second.id},,KAZ,kaz@example.org\n").replace("OSCE region", "osce")
    path = write_file("attendance.csv", text)

    result = outreach("import", "trainings", str(path))
    assert result.exit_code == 0, result.output
    assert "3 attendances recorded, 2 course regions set" in result.output
    listed = courses(outreach)
    assert (listed[first.id or 0]["region"], listed[first.id or 0]["states"]) == ("caricom", 2)
    assert (listed[second.id or 0]["region"], listed[second.id or 0]["pocs"]) == ("osce", 1)
    again = outreach("import", "trainings", str(path))
    assert "0 attendances recorded, 0 course regions set, 4 rows already recorded" in (
        again.output)


def test_every_bad_row_is_named_by_its_line_and_nothing_is_written(
    outreach: Invoke, session: Session, write_file: Callable[..., Path]
) -> None:
    course = add_course(session, date(2017, 4, 4), "BRB")
    visit = add_course(session, date(2017, 5, 5), "BRB", event_type=EventType.VISIT,
                       title="Visit")
    poc_of(session, "JAM")
    poc_of(session, "CARICOM", role="coordinator")
    rows = [
        f"{course.id},caricom,JAM,jam@example.org",  # 2: good
        f"{course.id},europe,JAM,jam@example.org",  # 3: unknown region
        f"{course.id},,Atlantis,jam@example.org",  # 4: unknown State
        f"{course.id},,BHS,nobody@example.org",  # 5: no such PoC of that State
        f"{visit.id},,JAM,jam@example.org",  # 6: a visit, not a course
        "999999,,JAM,jam@example.org",  # 7: no such event
        f"{course.id},,CARICOM,caricom@example.org",  # 8: an organisation
        f"{course.id},osce,,",  # 9: a second region for the course
        f"{course.id},,JAM,jam@example.org",  # 10: the same PoC twice
        "Barbados course,,JAM,jam@example.org",  # 11: not an id
    ]
    result = outreach("import", "trainings", str(write_file("a.csv", HEADER + "\n".join(rows))))
    assert result.exit_code == 1
    output = result.output
    for line, words in ((3, 'unknown region "europe"'), (4, 'unknown State "Atlantis"'),
                        (5, "BHS has no PoC with the address nobody@example.org"),
                        (6, "of type visit, not poc_training"),
                        (7, "there is no course (event) 999999"),
                        (8, '"CARICOM" is an organisation'),
                        (9, "was given the region caricom on line 2"),
                        (10, "duplicate"), (11, "must be the course's event id")):
        assert f"line {line}: " in output and words in output, (line, output)
    assert "line 2:" not in output
    assert stored(session) == (0, 0)
