"""Setting up the registry, listing it and moving it in and out as files."""

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlmodel import Session, func, select
from typer.testing import CliRunner

from bot.cli import app
from storage.audit import AuditEntry
from storage.parties import Party
from tests.support.cli import Invoke


def test_init_twice_changes_nothing(outreach: Invoke, session: Session) -> None:
    first = outreach("init")
    assert first.exit_code == 0, first.output
    assert "0 added, 0 corrected" in first.output  # the fixture already loaded the references
    parties_before = session.exec(select(func.count()).select_from(Party)).one()
    audit_before = session.exec(select(func.count()).select_from(AuditEntry)).one()
    assert outreach("init").exit_code == 0
    session.expire_all()
    assert session.exec(select(func.count()).select_from(Party)).one() == parties_before
    assert session.exec(select(func.count()).select_from(AuditEntry)).one() == audit_before
    policies = json.loads(outreach("reminders", "policies", "--format", "json").output)
    assert [p["name"] for p in policies] == ["non-reporting", "no-submission-5-years"]


def test_init_creates_a_sqlite_database_under_the_data_directory(tmp_path: Path) -> None:
    runner = CliRunner()
    env = {"OUTREACH_DATA_DIR": str(tmp_path / "data"), "OUTREACH_DATABASE_URL": ""}
    result = runner.invoke(app, ["init"], env=env)
    assert result.exit_code == 0, result.output
    assert "244 added" in result.output
    assert (tmp_path / "data" / "outreach.db").is_file()
    again = runner.invoke(app, ["init"], env=env)
    assert "0 added, 0 corrected" in again.output


def test_commands_before_init_say_to_run_init(tmp_path: Path) -> None:
    env = {"OUTREACH_DATA_DIR": str(tmp_path), "OUTREACH_DATABASE_URL": ""}
    result = CliRunner().invoke(app, ["states"], env=env)
    assert result.exit_code == 1
    assert "run `outreach init` first" in result.stderr


def test_a_wrong_database_url_is_a_clear_configuration_error(tmp_path: Path) -> None:
    env = {"OUTREACH_DATA_DIR": str(tmp_path), "OUTREACH_DATABASE_URL": "mysql://x@y/z"}
    result = CliRunner().invoke(app, ["states"], env=env)
    assert result.exit_code == 1
    assert "Invalid configuration" in result.stderr


@pytest.mark.parametrize(("group", "count"), [
    ("AFR", 54), ("APG", 54), ("EEG", 23), ("GRULAC", 33), ("WEOG", 29),
])
def test_states_by_group_match_the_un_electoral_counts(
    outreach: Invoke, group: str, count: int
) -> None:
    listed = json.loads(outreach("states", "--group", group, "--format", "json").output)
    assert len(listed) == count


def test_the_usa_and_turkiye_special_cases_are_visible(outreach: Invoke) -> None:
    listed = {s["code"]: s for s in json.loads(outreach("states", "--format", "json").output)}
    assert len(listed) == 193
    assert listed["USA"]["regional_group"] is None
    assert listed["USA"]["observer_in"] == "WEOG"
    assert listed["USA"]["electoral_group"] == "WEOG"
    assert listed["TUR"]["name"] == "Türkiye"
    assert listed["TUR"]["regional_group"] == "WEOG"
    assert listed["TUR"]["also_participates_in"] == "APG"


def test_an_unknown_group_is_refused_with_the_valid_ones(outreach: Invoke) -> None:
    result = outreach("states", "--group", "EU")
    assert result.exit_code == 1
    assert "AFR, APG, EEG, GRULAC, WEOG" in result.stderr


def test_orgs_show_scope_and_whether_they_have_an_active_poc(
    outreach: Invoke, write_file: Callable[..., Path]
) -> None:
    outreach("import", "pocs", str(write_file("p.csv", (
        "party,full_name,email\nOPCW,Pieter de Vries-Test,pieter@example.org\n"))))
    orgs = {o["acronym"]: o for o in json.loads(outreach("orgs", "--format", "json").output)}
    assert orgs["OPCW"]["active_pocs"] == 1
    assert orgs["IAEA"]["active_pocs"] == 0
    assert orgs["UNODA"]["scope"] == "un_entity"
    assert orgs["AU"]["scope"] == "regional"


def test_exported_pocs_and_submissions_import_back_unchanged(
    outreach: Invoke, write_file: Callable[..., Path], tmp_path: Path
) -> None:
    outreach("import", "pocs", str(write_file("p.csv", (
        "party,full_name,email,telegram,status,date_notified\n"
        "GHA,Kofi Mensah-Test,kofi@example.org;desk@example.org,@kofi_test,active,2021-02-03\n"
        "PER,Rosa Quispe-Test,rosa@example.org,-100123,inactive,\n"))))
    outreach("import", "submissions", str(write_file("s.csv", (
        "state,kind,date,symbol,note\nGHA,first_report,2005-05-05,S/AC.44/2005/1,\"a, b\"\n"))))
    pocs_csv = tmp_path / "pocs-export.csv"
    subs_csv = tmp_path / "subs-export.csv"
    pocs_csv.write_text(outreach("export", "pocs").output, encoding="utf-8")
    subs_csv.write_text(outreach("export", "submissions").output, encoding="utf-8")
    assert "0 created, 0 updated, 2 unchanged" in outreach("import", "pocs", str(pocs_csv)).output
    again = outreach("import", "submissions", str(subs_csv)).output
    assert "0 created, 0 updated, 1 unchanged" in again


def test_xlsx_exports_open_in_a_spreadsheet_and_import_back(
    outreach: Invoke, write_file: Callable[..., Path], tmp_path: Path
) -> None:
    outreach("import", "pocs", str(write_file("p.csv", (
        "party,full_name,email\nGHA,Kofi Mensah-Test,kofi@example.org\n"))))
    out = tmp_path / "pocs.xlsx"
    result = outreach("export", "pocs", "--format", "xlsx", "--out", str(out))
    assert result.exit_code == 0, result.output
    sheet = load_workbook(out).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    assert header[:3] == ["party", "role", "full_name"]
    assert "0 created, 0 updated, 1 unchanged" in outreach("import", "pocs", str(out)).output
    states = tmp_path / "states.xlsx"
    outreach("export", "states", "--format", "xlsx", "--out", str(states))
    assert load_workbook(states).worksheets[0].max_row == 194


def test_xlsx_to_the_terminal_is_refused(outreach: Invoke) -> None:
    result = outreach("export", "states", "--format", "xlsx")
    assert result.exit_code == 2
    assert "give --out FILE" in result.stderr


def test_the_demo_prints_the_papers_figures_from_invented_people(tmp_path: Path) -> None:
    env = {"OUTREACH_DATA_DIR": str(tmp_path), "OUTREACH_DATABASE_URL": ""}
    result = CliRunner().invoke(app, ["demo"], env=env)
    assert result.exit_code == 0, result.output
    assert "INVENTED" in result.output
    assert "States that have submitted a first report: 185" in result.output
    assert "first report only: 61" in result.output
    assert "44 from 36 States" in result.output
    pocs = (tmp_path / "demo" / "pocs.csv").read_text(encoding="utf-8")
    addresses = [word for word in pocs.replace(";", ",").split(",") if "@" in word
                 and not word.startswith("@")]
    assert addresses and all(a.endswith("@example.org") for a in addresses)
    mails = sorted((tmp_path / "demo" / "outbox-mail").glob("*.eml"))
    assert len(mails) >= 5
    assert f"sent to {len(mails)} invented PoCs" in result.output
    assert all(b"@example.org" in mail.read_bytes() for mail in mails)
    assert CliRunner().invoke(app, ["demo"], env=env).exit_code == 0  # runs again cleanly
    assert len(list((tmp_path / "demo" / "outbox-mail").glob("*.eml"))) == len(mails)
