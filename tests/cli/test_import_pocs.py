"""Importing Points of Contact: all or nothing, every problem with its line, idempotent."""

from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook
from sqlmodel import Session, func, select

from storage.audit import AuditEntry
from storage.pocs import PocEmail, PointOfContact
from tests.support.cli import Invoke

HEADER = "party,role,full_name,title,agency,email,phone,telegram,language,timezone,status\n"
GOOD_ROWS = (
    "FRA,national,Claire Martin-Test,Counsellor,Ministry for Europe and Foreign Affairs,"
    "claire.martin@example.org;desk.fra@example.org,+33 1 55 55 01 01,@claire_test,fr,"
    "Europe/Paris,active\n"
    "KEN,assistance,Wanjiru Otieno-Test,First Secretary,Ministry of Foreign Affairs,"
    "w.otieno@example.org,,123456789,en,Africa/Nairobi,active\n"
    "IAEA,coordinator,Ivo Novak-Test,Liaison Officer,Office of Legal Affairs,"
    "ivo.novak@example.org,,,en,Europe/Vienna,active\n"
)


def count_rows(session: Session) -> tuple[int, int, int]:
    session.expire_all()
    pocs = session.exec(select(func.count()).select_from(PointOfContact)).one()
    emails = session.exec(select(func.count()).select_from(PocEmail)).one()
    audit = session.exec(select(func.count()).select_from(AuditEntry)).one()
    return pocs, emails, audit


def test_it_imports_a_good_file_and_reports_what_it_created(
    outreach: Invoke, write_file: Callable[..., Path], session: Session
) -> None:
    result = outreach("import", "pocs", str(write_file("pocs.csv", HEADER + GOOD_ROWS)))
    assert result.exit_code == 0, result.output
    assert "3 created, 0 updated, 0 unchanged" in result.output
    listed = outreach("pocs", "--party", "FRA", "--format", "json")
    assert '"claire.martin@example.org"' in listed.output
    assert '"desk.fra@example.org"' in listed.output
    assert '"telegram": "@claire_test"' in listed.output
    assert count_rows(session) == (3, 4, 3)


def test_reimporting_the_same_file_changes_nothing(
    outreach: Invoke, write_file: Callable[..., Path], session: Session
) -> None:
    path = write_file("pocs.csv", HEADER + GOOD_ROWS)
    outreach("import", "pocs", str(path))
    before = count_rows(session)
    again = outreach("import", "pocs", str(path))
    assert again.exit_code == 0
    assert "0 created, 0 updated, 3 unchanged" in again.output
    assert count_rows(session) == before


def test_a_changed_row_updates_the_poc_and_audits_before_and_after(
    outreach: Invoke, write_file: Callable[..., Path], session: Session
) -> None:
    outreach("import", "pocs", str(write_file("a.csv", HEADER + GOOD_ROWS)))
    changed = GOOD_ROWS.replace("Counsellor", "Minister-Counsellor")
    result = outreach("import", "pocs", str(write_file("b.csv", HEADER + changed)))
    assert "0 created, 1 updated, 2 unchanged" in result.output
    entry = session.exec(select(AuditEntry).where(AuditEntry.action == "import")).one()
    assert entry.actor == "cli:test-staff"
    assert entry.before is not None and entry.after is not None
    assert (entry.before["title"], entry.after["title"]) == ("Counsellor", "Minister-Counsellor")


def test_columns_missing_from_the_file_keep_their_stored_values(
    outreach: Invoke, write_file: Callable[..., Path]
) -> None:
    outreach("import", "pocs", str(write_file("a.csv", HEADER + GOOD_ROWS)))
    short = (
        "party,full_name,email\n"
        "FRA,Claire Martin-Test,claire.martin@example.org;desk.fra@example.org\n"
    )
    result = outreach("import", "pocs", str(write_file("b.csv", short)))
    assert "0 created, 0 updated, 1 unchanged" in result.output
    listed = outreach("pocs", "--party", "FRA", "--format", "json").output
    assert '"phone": "+33 1 55 55 01 01"' in listed
    assert '"desk.fra@example.org"' in listed


def test_a_bad_file_is_rejected_whole_with_every_problem_and_its_line(
    outreach: Invoke, write_file: Callable[..., Path], session: Session
) -> None:
    bad = (
        HEADER + GOOD_ROWS
        + "Frnace,national,Jean Test,,,jean@example.org,,,fr,Europe/Paris,active\n"  # line 5
        + "DEU,national,Anna Test,,,not-an-address,,,de,Europe/Berlin,active\n"  # line 6
        + "ITA,chief,Luca Test,,,luca@example.org,12,@x,en,Europe/Rome,away\n"  # line 7
        + "ESP,national,,,,ana@example.org,,,es,Mars/Olympus,active\n"  # line 8
        + "KEN,assistance,Other Test,,,w.otieno@example.org,,,en,Africa/Nairobi,active\n"
    )
    result = outreach("import", "pocs", str(write_file("bad.csv", bad)))
    assert result.exit_code == 1
    errors = result.stderr
    assert 'line 5: unknown State or organisation "Frnace" (did you mean FRA (France)?)' in errors
    assert 'line 6: invalid e-mail address "not-an-address"' in errors
    assert 'line 6: unknown language "de"' in errors
    assert 'line 7: unknown role "chief"' in errors
    assert 'line 7: unknown status "away"' in errors
    assert 'line 7: invalid phone number "12"' in errors
    assert 'line 7: invalid Telegram contact "@x"' in errors
    assert 'line 8: "full_name" is required and is empty' in errors
    assert 'line 8: unknown time zone "Mars/Olympus"' in errors
    assert "line 9: duplicate of line 3" in errors
    assert "Nothing was imported: 10 problems in 8 rows" in errors
    assert count_rows(session) == (0, 0, 0)


def test_a_dry_run_counts_but_writes_nothing(
    outreach: Invoke, write_file: Callable[..., Path], session: Session
) -> None:
    result = outreach("import", "pocs", "--dry-run", str(write_file("p.csv", HEADER + GOOD_ROWS)))
    assert result.exit_code == 0
    assert "would create 3, update 0 and leave 0 unchanged" in result.output
    assert count_rows(session) == (0, 0, 0)


def test_it_reads_semicolons_and_a_byte_order_mark_as_excel_writes_them(
    outreach: Invoke, write_file: Callable[..., Path]
) -> None:
    content = (
        "party;full_name;email;language;timezone\n"
        "CIV;Awa Kouassi-Test;awa.kouassi@example.org;fr;Africa/Abidjan\n"
        "Türkiye;Deniz Yilmaz-Test;deniz@example.org;en;Europe/Istanbul\n"
    )
    path = write_file("excel.csv", "\ufeff" + content)
    result = outreach("import", "pocs", str(path))
    assert result.exit_code == 0, result.output
    assert "2 created" in result.output
    assert "CIV" in outreach("pocs", "--format", "csv").output


def test_it_reads_xlsx_with_line_numbers_of_the_sheet(outreach: Invoke, tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["party", "full_name", "email", "language"])
    sheet.append(["BRA", "Joana Silva-Test", "joana@example.org", "es"])
    sheet.append(["BRA", "Pedro Souza-Test", "pedro@example", "es"])
    path = tmp_path / "pocs.xlsx"
    workbook.save(path)
    result = outreach("import", "pocs", str(path))
    assert result.exit_code == 1
    assert 'line 3: invalid e-mail address "pedro@example"' in result.stderr


def test_a_state_without_a_timezone_gets_its_countrys_zone(
    outreach: Invoke, write_file: Callable[..., Path]
) -> None:
    path = write_file("p.csv", "party,full_name,email\nJPN,Aiko Sato-Test,aiko@example.org\n")
    assert outreach("import", "pocs", str(path)).exit_code == 0
    listed = outreach("pocs", "--format", "json").output
    assert '"timezone": "Asia/Tokyo"' in listed
    assert '"role": "national"' in listed
    assert '"language": "en"' in listed


def test_an_unknown_column_is_refused_with_a_suggestion(
    outreach: Invoke, write_file: Callable[..., Path]
) -> None:
    path = write_file("p.csv", "party,full_name,emial\nJPN,Aiko Sato-Test,aiko@example.org\n")
    result = outreach("import", "pocs", str(path))
    assert result.exit_code == 1
    assert 'unknown column "emial" (did you mean email?)' in result.stderr
    assert 'the required column "email" is missing' in result.stderr


def test_a_file_that_is_not_utf8_gets_a_clear_error(
    outreach: Invoke, write_file: Callable[..., Path]
) -> None:
    path = write_file("p.csv", "party,full_name,email\nCIV,Côte Test,c@example.org\n", "latin-1")
    result = outreach("import", "pocs", str(path))
    assert result.exit_code == 1
    assert "line 2: the file is not UTF-8 text" in result.stderr


def test_a_missing_file_gets_a_clear_error(outreach: Invoke, tmp_path: Path) -> None:
    result = outreach("import", "pocs", str(tmp_path / "nowhere.csv"))
    assert result.exit_code == 1
    assert "file not found" in result.stderr


def test_values_a_database_cannot_store_are_refused_not_crashed_on(
    outreach: Invoke, write_file: Callable[..., Path], session: Session
) -> None:
    rows = (
        "party,full_name,email,telegram,phone\n"
        "FRA,Claire\x00Martin-Test,claire@example.org,,\n"
        "KEN,Wanjiru Otieno-Test,w@example.org,9223372036854775808,\n"
        "GHA,Kofi Mensah-Test,k@example.org,,+1 202 555 0100 ext. 123456789012345678901234\n"
    )
    result = outreach("import", "pocs", str(write_file("p.csv", rows)))
    assert result.exit_code == 1
    assert 'line 2: "full_name" contains a control character' in result.stderr
    assert 'line 3: invalid Telegram contact "9223372036854775808"' in result.stderr
    assert "line 4: invalid phone number" in result.stderr
    assert count_rows(session) == (0, 0, 0)
