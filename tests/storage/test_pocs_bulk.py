"""The PoC import a chunk at a time: what it writes is what storage.pocs writes a PoC at a
time, a dry run says what the real import does, and a refusal found late leaves nothing."""

from dataclasses import replace
from datetime import UTC, date, datetime, time
from typing import Any

from hypothesis import HealthCheck, given, settings
from sqlalchemy import Engine, text
from sqlmodel import Session, select

from storage import audit, pocs, pocs_bulk
from storage.db import session_scope
from storage.imports.pocs import OPTIONAL, REQUIRED, import_pocs
from storage.imports.tabular import TableError, parse_csv_text
from storage.parties import Party
from tests.support.import_files import TODAY, any_files

NOW = datetime.combine(TODAY, time(14, 0), tzinfo=UTC)
LATER = datetime.combine(TODAY, time(16, 30), tzinfo=UTC)
TABLES = ("poc", "poc_email", "poc_region", "audit_entry")

SEED = (
    "party,role,full_name,email,telegram,language,timezone,region\n"
    "FRA,national,Claire Martin-Test,claire.martin@example.org,@claire_test,fr,Europe/Paris,\n"
    "UNODA,coordinator,Ann Example-Test,ann@example.org,,en,UTC,Africa\n"
    "KEN,assistance,Wanjiru Otieno-Test,w.otieno@example.org,123456789,en,Africa/Nairobi,\n"
)


def party_id(session: Session, code: str) -> int:
    found = session.exec(select(Party).where(Party.code == code)).one()
    assert found.id is not None
    return found.id


def counts(session: Session) -> dict[str, int]:
    return {table: int(session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
            for table in TABLES}


def without_ids(entry: audit.AuditEntry) -> tuple[Any, ...]:
    def strip(picture: dict[str, Any] | None) -> dict[str, Any] | None:
        return None if picture is None else {k: v for k, v in picture.items() if k != "emails"}

    return entry.at, entry.actor, entry.action, entry.entity, strip(entry.before), strip(
        entry.after)


def stored(session: Session, poc_id: int) -> tuple[Any, ...]:
    session.expire_all()
    poc = pocs.get(session=session, poc_id=poc_id)
    assert poc is not None
    fields = pocs.fields_of(session=session, poc=poc)
    return replace(fields, emails=()), len(fields.emails), poc.created_at, poc.updated_at


def test_the_bulk_writes_are_what_storage_pocs_writes_one_at_a_time(session: Session) -> None:
    one = pocs.PocFields(
        party_id=party_id(session, "UNODA"), role="coordinator", full_name="Ann Example-Test",
        emails=("ann@example.org", "desk@example.org"), language="fr", timezone="Europe/Paris",
        title="Counsellor", phone="+41 22 555 01 01", telegram_chat_id=123456789,
        notified_on=date(2026, 5, 4), region="Africa")
    other = replace(one, emails=("ben@example.org", "desk2@example.org"))
    by_one = pocs.create(session=session, fields=one, actor="staff", now=NOW).id
    [by_bulk] = pocs_bulk.create_many(session=session, fields=[other], now=NOW)
    pocs_bulk.record_audit(session=session, entries=[(by_bulk, other)], actor="staff",
                           action="import", now=NOW)
    assert by_one is not None
    assert stored(session, by_one) == stored(session, by_bulk)
    # then both changed alike: a title, one address less, the region taken away
    poc = pocs.get(session=session, poc_id=by_one)
    assert poc is not None
    assert pocs.update(session=session, poc=poc, actor="staff", action="import", now=LATER,
                       fields=replace(one, title="Minister", emails=one.emails[:1], region=""))
    was = pocs_bulk.StoredPoc(by_bulk, other)
    change = pocs_bulk.Change(was, replace(other, title="Minister", emails=other.emails[:1],
                                           region=""))
    pocs_bulk.update_many(session=session, changes=[change], now=LATER)
    pocs_bulk.record_audit(session=session, entries=[(by_bulk, change)], actor="staff",
                           action="import", now=LATER)
    assert stored(session, by_one) == stored(session, by_bulk)
    assert pocs.emails_of(session=session, poc_id=by_bulk) == ("ben@example.org",)
    entries = audit.entries(session=session, entity="poc")
    assert [without_ids(e) for e in entries if e.entity_id == str(by_one)] == [
        without_ids(e) for e in entries if e.entity_id == str(by_bulk)]
    assert len(entries) == 4


def test_a_file_over_many_chunks_imports_as_one_with_its_audit_in_line_order(
    session: Session,
) -> None:
    import_pocs(session=session, table=parse_csv_text(SEED), actor="seed", today=TODAY,
                now=NOW)
    rows = SEED.replace("Claire Martin-Test", "Claire Martin-Renamed").splitlines()
    more = [f"GHA,national,Person {n}-Test,p{n}@example.org,,en,Africa/Accra," for n in range(4)]
    content = "\n".join([rows[0], more[0], rows[1], more[1], rows[2], more[2], rows[3],
                         more[3]]) + "\n"
    report = import_pocs(session=session, table=parse_csv_text(content), actor="staff",
                         today=TODAY, now=LATER, chunk_rows=2)
    assert (report.created, report.updated, report.unchanged, report.problems) == (4, 1, 2, [])
    written = [entry for entry in audit.entries(session=session, entity="poc")
               if entry.actor == "staff"]
    assert [(entry.action, (entry.after or {})["full_name"]) for entry in written] == [
        ("create", "Person 0-Test"), ("import", "Claire Martin-Renamed"),
        ("create", "Person 1-Test"), ("create", "Person 2-Test"), ("create", "Person 3-Test")]
    assert counts(session) == {"poc": 7, "poc_email": 7, "poc_region": 1,
                               "audit_entry": counts(session)["audit_entry"]}


def test_a_problem_after_chunks_were_written_leaves_nothing(session: Session) -> None:
    import_pocs(session=session, table=parse_csv_text(SEED), actor="seed", today=TODAY,
                now=NOW)
    session.commit()
    before = counts(session)
    good = [f"GHA,national,Person {n}-Test,p{n}@example.org,,en,Africa/Accra,"
            for n in range(5)]
    content = SEED.replace("Claire Martin-Test", "Claire Renamed") + "\n".join(good) + (
        "\nGHA,national,Late Problem-Test,not-an-address,,en,Africa/Accra,\n")
    report = import_pocs(session=session, table=parse_csv_text(content), actor="staff",
                         today=TODAY, now=LATER, chunk_rows=2)
    assert [(problem.line, problem.code) for problem in report.problems] == [
        (10, "invalid_email")]
    assert counts(session) == before
    assert not (session.new or session.dirty or session.deleted)
    claire = pocs.get(session=session, poc_id=1)
    assert claire is not None and claire.full_name == "Claire Martin-Test"


def test_a_poc_the_session_holds_is_read_again_after_the_import_changed_it(
    session: Session,
) -> None:
    import_pocs(session=session, table=parse_csv_text(SEED), actor="seed", today=TODAY,
                now=NOW)
    held = pocs.get(session=session, poc_id=1)
    assert held is not None and held.full_name == "Claire Martin-Test"
    changed = SEED.replace("Claire Martin-Test", "Claire Renamed")
    report = import_pocs(session=session, table=parse_csv_text(changed), actor="staff",
                         today=TODAY, now=LATER)
    assert report.updated == 1
    assert held.full_name == "Claire Renamed"
    assert held.updated_at == LATER


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(content=any_files(REQUIRED, OPTIONAL))
def test_a_dry_run_reports_what_the_real_import_does(engine: Engine, content: str) -> None:
    try:
        table = parse_csv_text(content)
    except TableError:
        return
    with session_scope(engine) as session:
        if not counts(session)["poc"]:
            import_pocs(session=session, table=parse_csv_text(SEED), actor="seed",
                        today=TODAY, now=NOW)
    with Session(engine) as session:
        dry = import_pocs(session=session, table=table, actor="t", today=TODAY, now=NOW,
                          dry_run=True)
        try:
            real = import_pocs(session=session, table=table, actor="t", today=TODAY, now=NOW,
                               chunk_rows=3)
            assert (dry.created, dry.updated, dry.unchanged, dry.problems) == (
                real.created, real.updated, real.unchanged, real.problems)
        finally:
            session.rollback()
