"""Importing and exporting assistance requests: one row per request, checked row by row,
written whole or not at all; an export imports back unchanged."""

import json
from collections.abc import Callable
from pathlib import Path

from sqlmodel import Session, func, select

from storage import audit
from storage.assistance.model import AssistanceRequest, AssistanceStep
from tests.support.cli import Invoke

HEADER = ("state,received_on,channel,needs,reference,summary,consent,status,status_on,"
          "published_on,closed_on,maintained_on\n")
GOOD = (
    "KEN,2019-03-04,template,op3_cd/chemical; training,NV/2019/12,Border controls,yes,"
    "open,2019-04-02,2019-04-03,,\n"
    "Viet Nam,2017-06-01,note_verbale,legislation,,Drafting a law,no,met,2019-01-10,,"
    "2019-01-10,\n"
    "cote d'ivoire,2020-02-02,national_report,equipment/biological,CIV-1,,,,,,,2022-05-05\n"
)


def requests_in(session: Session) -> int:
    session.expire_all()
    return session.exec(select(func.count()).select_from(AssistanceRequest)).one()


def listed(outreach: Invoke, *options: str) -> list[dict[str, object]]:
    result = outreach("assistance", "list", "--format", "json", *options)
    assert result.exit_code == 0, result.output
    rows: list[dict[str, object]] = json.loads(result.output)
    return rows


def test_it_imports_requests_with_their_needs_and_where_each_stands(
    outreach: Invoke, write_file: Callable[..., Path], session: Session
) -> None:
    result = outreach("import", "assistance", str(write_file("a.csv", HEADER + GOOD)))
    assert result.exit_code == 0, result.output
    assert "3 created, 0 updated, 0 unchanged" in result.output
    rows = {row["state"]: row for row in listed(outreach)}
    assert rows["KEN"]["needs"] == "op3_cd/chemical; training"
    assert (rows["KEN"]["status"], rows["KEN"]["published_on"]) == ("open", "2019-04-03")
    assert (rows["VNM"]["status"], rows["VNM"]["consent"]) == ("met", False)
    assert (rows["CIV"]["status"], rows["CIV"]["maintained_on"]) == ("received", "2022-05-05")
    assert [row["state"] for row in listed(outreach, "--open")] == ["KEN", "CIV"]
    steps = session.exec(select(AssistanceStep.status).where(
        AssistanceStep.request_id == rows["KEN"]["id"])).all()
    assert list(steps) == ["received", "open"]


def test_reimporting_the_export_changes_nothing_and_a_changed_row_updates(
    outreach: Invoke, write_file: Callable[..., Path], session: Session, tmp_path: Path
) -> None:
    outreach("import", "assistance", str(write_file("a.csv", HEADER + GOOD)))
    exported = outreach("export", "assistance")
    assert exported.exit_code == 0
    assert exported.output.splitlines()[0] + "\n" == HEADER
    again = outreach("import", "assistance", str(write_file("b.csv", exported.output)))
    assert "0 created, 0 updated, 3 unchanged" in again.output
    xlsx = tmp_path / "a.xlsx"
    outreach("export", "assistance", "--format", "xlsx", "--out", str(xlsx))
    assert "0 created, 0 updated, 3 unchanged" in outreach(
        "import", "assistance", str(xlsx)).output
    changed = exported.output.replace("Border controls", "Border and export controls")
    result = outreach("import", "assistance", str(write_file("c.csv", changed)))
    assert "0 created, 1 updated, 2 unchanged" in result.output
    assert requests_in(session) == 3
    ken = next(row for row in listed(outreach) if row["state"] == "KEN")
    actions = [entry.action for entry in audit.entries(
        session=session, entity="assistance_request", entity_id=str(ken["id"]))]
    assert actions[-1] == "import"


def test_the_json_export_has_the_import_columns(
    outreach: Invoke, write_file: Callable[..., Path]
) -> None:
    outreach("import", "assistance", str(write_file("a.csv", HEADER + GOOD)))
    rows = json.loads(outreach("export", "assistance", "--format", "json").output)
    assert list(rows[0]) == HEADER.strip().split(",")
    assert {row["state"] for row in rows} == {"KEN", "VNM", "CIV"}


def test_a_dry_run_counts_and_writes_nothing(
    outreach: Invoke, write_file: Callable[..., Path], session: Session
) -> None:
    result = outreach("import", "assistance", "--dry-run",
                      str(write_file("a.csv", HEADER + GOOD)))
    assert "would create 3" in result.output
    assert requests_in(session) == 0


BAD = {
    5: ("Kenia,2019-03-04,template,training,,,,,,,,", 'unknown State "Kenia" (did you mean KEN'),
    6: ("IAEA,2019-03-04,template,training,,,,,,,,",
        '"IAEA" is an organisation; an assistance request comes from a Member State'),
    7: ("FRA,2019-03-04,telefax,training,,,,,,,,", 'unknown channel "telefax"'),
    8: ("FRA,2019-03-04,template,trainings,,,,,,,,", 'unknown assistance area "trainings"'),
    9: ("FRA,2019-03-04,template,op3_ab/radiological,,,,,,,,",
        'unknown weapon category "radiological"'),
    10: ("FRA,2019-03-04,template,training,,,,done,,,,", 'unknown status "done"'),
    11: ("FRA,2003-12-31,template,training,,,,,,,,", "2003-12-31 is before resolution 1540"),
    12: ("FRA,2099-01-01,template,training,,,,,,,,", '"received_on" is in the future'),
    13: ("FRA,2019-03-04,template,training,X,,no,open,2019-04-01,2019-04-02,,",
         '"published_on" is given but the State did not consent'),
    14: ("FRA,2019-03-04,template,training,Y,,yes,circulated,2019-04-01,2019-04-02,,",
         '"published_on" is given but the request is still "circulated"'),
    15: ("FRA,2019-03-04,template,training,Z,,,lapsed,2020-01-01,,,",
         'the request is "lapsed", so "closed_on" is required'),
    16: ("FRA,2019-03-04,template,training,W,,,open,2020-01-01,,2020-01-01,",
         '"closed_on" is given but the request is still "open"'),
    17: ("FRA,2019-03-04,template,training,V,,maybe,,,,,", '"consent" must be yes or no'),
    18: ("FRA,2019-03-04,template,,U,,,,,,,", '"needs" is required and is empty'),
    19: ("FRA,2019-03-04,template,training,T,,,open,2019-01-01,,,",
         '"status_on" (2019-01-01) is before the request was received (2019-03-04)'),
    20: ("KEN,2019-03-04,template,training,NV/2019/12,,,,,,,", "duplicate of line 2"),
}


def test_every_bad_row_is_reported_with_its_line_and_nothing_is_written(
    outreach: Invoke, write_file: Callable[..., Path], session: Session
) -> None:
    rows = "".join(row + "\n" for row, _ in BAD.values())
    result = outreach("import", "assistance", str(write_file("bad.csv", HEADER + GOOD + rows)))
    assert result.exit_code == 1
    for line, (_, words) in BAD.items():
        assert f"line {line}: {words}" in result.stderr, (line, result.stderr)
    assert "Nothing was imported: " in result.stderr
    assert requests_in(session) == 0


def test_a_summary_or_reference_longer_than_its_column_is_refused(
    outreach: Invoke, write_file: Callable[..., Path], session: Session
) -> None:
    rows = (f"KEN,2019-03-04,template,training,{'R' * 81},,,,,,,\n"
            f"KEN,2019-03-05,template,training,ok,{'S' * 2001},,,,,,\n")
    result = outreach("import", "assistance", str(write_file("long.csv", HEADER + rows)))
    assert result.exit_code == 1
    assert 'line 2: "reference" is longer than 80 characters' in result.stderr
    assert 'line 3: "summary" is longer than 2000 characters' in result.stderr
    fits = (f"KEN,2019-03-04,template,training,{'R' * 80},,,,,,,\n"
            f"KEN,2019-03-05,template,training,ok,{'S' * 2000},,,,,,\n")
    result = outreach("import", "assistance", str(write_file("fits.csv", HEADER + fits)))
    assert "2 created" in result.output, result.output
    assert requests_in(session) == 2


def test_an_unknown_column_gets_a_did_you_mean(
    outreach: Invoke, write_file: Callable[..., Path]
) -> None:
    header = HEADER.replace("summary", "sumary")
    result = outreach("import", "assistance", str(write_file("h.csv", header + GOOD)))
    assert result.exit_code == 1
    assert 'unknown column "sumary" (did you mean summary?)' in result.stderr
