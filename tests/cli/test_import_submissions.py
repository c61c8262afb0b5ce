"""Importing the reporting history: checked row by row, written whole or not at all."""

from collections.abc import Callable
from pathlib import Path

from sqlmodel import Session, func, select

from storage.submissions import Submission
from tests.support.cli import Invoke

HEADER = "state,kind,date,symbol,note\n"
GOOD = (
    "FRA,first_report,2004-10-28,S/AC.44/2004/(02)/9,\n"
    "France,additional_info,2017-03-02,,update on export controls\n"
    "Côte d'Ivoire,first_report,2005-06-01,,\n"
    "cote d'ivoire,action_plan,2019-11-20,,\n"
)


def submissions_in(session: Session) -> int:
    session.expire_all()
    return session.exec(select(func.count()).select_from(Submission)).one()


def test_it_imports_submissions_by_iso3_or_un_name(
    outreach: Invoke, write_file: Callable[..., Path], session: Session
) -> None:
    result = outreach("import", "submissions", str(write_file("s.csv", HEADER + GOOD)))
    assert result.exit_code == 0, result.output
    assert "4 created" in result.output
    history = outreach("submissions", "--state", "CIV", "--format", "json").output
    assert '"kind": "first_report"' in history
    assert '"kind": "action_plan"' in history
    assert submissions_in(session) == 4


def test_reimporting_changes_nothing_and_a_new_note_updates_the_row(
    outreach: Invoke, write_file: Callable[..., Path], session: Session
) -> None:
    outreach("import", "submissions", str(write_file("s.csv", HEADER + GOOD)))
    again = outreach("import", "submissions", str(write_file("t.csv", HEADER + GOOD)))
    assert "0 created, 0 updated, 4 unchanged" in again.output
    noted = GOOD.replace("update on export controls", "update on border controls")
    changed = outreach("import", "submissions", str(write_file("u.csv", HEADER + noted)))
    assert "0 created, 1 updated, 3 unchanged" in changed.output
    assert submissions_in(session) == 4


def test_every_bad_row_is_reported_and_nothing_is_written(
    outreach: Invoke, write_file: Callable[..., Path], session: Session
) -> None:
    bad = HEADER + GOOD + (
        "Frnace,additional_info,2018-01-01,,\n"  # line 6
        "IAEA,first_report,2010-01-01,,\n"  # line 7
        "DEU,report,2010-01-01,,\n"  # line 8
        "DEU,first_report,01/02/2010,,\n"  # line 9
        "DEU,additional_info,2099-01-01,,\n"  # line 10
        "DEU,additional_info,2003-12-31,,\n"  # line 11
        "FRA,additional_info,2017-03-02,,\n"  # line 12: same as line 3
        "FRA,first_report,2006-01-01,,\n"  # line 13: France's first report is on line 2
    )
    result = outreach("import", "submissions", str(write_file("bad.csv", bad)))
    assert result.exit_code == 1
    errors = result.stderr
    assert 'line 6: unknown State "Frnace" (did you mean FRA (France)?)' in errors
    assert 'line 7: "IAEA" is an organisation' in errors
    assert 'line 8: unknown kind "report"' in errors
    assert 'line 9: "date" is not a date: "01/02/2010" (write YYYY-MM-DD)' in errors
    assert 'line 10: "date" is in the future: 2099-01-01' in errors
    assert "line 11: 2003-12-31 is before resolution 1540 was adopted" in errors
    assert "line 12: duplicate of line 3" in errors
    assert "line 13: a first report for this State is already on line 2" in errors
    assert submissions_in(session) == 0


def test_a_second_first_report_for_a_state_already_recorded_is_refused(
    outreach: Invoke, write_file: Callable[..., Path], session: Session
) -> None:
    outreach("import", "submissions", str(write_file("s.csv", HEADER + GOOD)))
    later = HEADER + "FRA,first_report,2009-05-05,,\n"
    result = outreach("import", "submissions", str(write_file("t.csv", later)))
    assert result.exit_code == 1
    assert "already recorded, dated 2004-10-28" in result.stderr
    assert submissions_in(session) == 4


def test_a_near_miss_state_name_gets_a_did_you_mean(
    outreach: Invoke, write_file: Callable[..., Path]
) -> None:
    rows = HEADER + "Viet Nan,first_report,2005-01-01,,\nCzech Republik,first_report,2005-01-01,,\n"
    result = outreach("import", "submissions", str(write_file("s.csv", rows)))
    assert "did you mean VNM (Viet Nam)?" in result.stderr
    assert "did you mean CZE (Czechia)?" in result.stderr
