"""Properties of the importers: no file crashes them; a rejected file or a dry run writes nothing.

Files are generated from a mix of plausible and garbage values per column (and as plain
arbitrary text), read with the CSV reader, then given to the importer in a session of its own
that is rolled back afterwards, so every example starts from the same database.
"""

from datetime import UTC, date, datetime, time
from typing import Protocol

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection, Engine, text
from sqlmodel import Session

from storage.db import session_scope
from storage.imports.common import ImportReport
from storage.imports.pocs import OPTIONAL as POC_OPTIONAL
from storage.imports.pocs import REQUIRED as POC_REQUIRED
from storage.imports.pocs import import_pocs
from storage.imports.submissions import OPTIONAL as SUBMISSION_OPTIONAL
from storage.imports.submissions import REQUIRED as SUBMISSION_REQUIRED
from storage.imports.submissions import import_submissions
from storage.imports.tabular import Table, TableError, parse_csv_text
from tests.support.import_files import TODAY, any_files

NOW = datetime.combine(TODAY, time(14, 0), tzinfo=UTC)
ACTOR = "test"
COUNTED_TABLES = ("poc", "poc_email", "submission", "audit_entry")

HEAVY = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


class Importer(Protocol):
    def __call__(
        self, *, session: Session, table: Table, actor: str, today: date, now: datetime,
        dry_run: bool = False,
    ) -> ImportReport: ...


# What the database holds before every example: a few committed rows, so generated files
# also take the update and "unchanged" paths and can clash with stored first reports.
SEED_POCS = (
    "party,role,full_name,email,telegram,language,timezone\n"
    "FRA,national,Claire Martin-Test,claire.martin@example.org,@claire_test,fr,Europe/Paris\n"
    "KEN,assistance,Wanjiru Otieno-Test,w.otieno@example.org,123456789,en,Africa/Nairobi\n"
    "IAEA,coordinator,Ivo Novak-Test,ivo.novak@example.org,,en,Europe/Vienna\n"
)
SEED_SUBMISSIONS = (
    "state,kind,date,symbol,note\n"
    "FRA,first_report,2004-10-28,S/AC.44/2004/(02)/5,\n"
    "KEN,first_report,2005-03-01,,\n"
    "KEN,additional_info,2019-06-12,,follow-up\n"
)


@pytest.fixture
def seeded_engine(engine: Engine) -> Engine:
    with session_scope(engine) as session:
        for importer, content in ((import_pocs, SEED_POCS),
                                  (import_submissions, SEED_SUBMISSIONS)):
            report = importer(session=session, table=parse_csv_text(content), actor="seed",
                              today=TODAY, now=NOW)
            assert report.written, report.problems
    return engine


# ------------------------------------------ the files (tests/support/import_files.py)

poc_files = any_files(POC_REQUIRED, POC_OPTIONAL)
submission_files = any_files(SUBMISSION_REQUIRED, SUBMISSION_OPTIONAL)

IMPORTERS: dict[str, tuple[Importer, st.SearchStrategy[str]]] = {
    "pocs": (import_pocs, poc_files),
    "submissions": (import_submissions, submission_files),
}


# ---------------------------------------------------------------- helpers


def counts(connection: Connection | Session) -> dict[str, int]:
    """Rows in each table an import may write, and the newest audit entry's id."""
    found = {
        table: int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
        for table in COUNTED_TABLES
    }
    newest = connection.execute(text("SELECT max(id) FROM audit_entry")).scalar_one()
    found["newest_audit_id"] = int(newest or 0)
    return found


def committed_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return counts(connection)


def table_or_none(content: str) -> Table | None:
    try:
        return parse_csv_text(content)
    except TableError as error:
        event(f"file refused: {error.problem.code}")
        return None  # the whole file refused: a valid outcome, nothing to import


# ---------------------------------------------------------------- the properties


@settings(max_examples=400, deadline=None)
@given(st.one_of(
    st.text(),
    st.text(alphabet=st.sampled_from([",", ";", '"', "'", "\n", "\r", "\x00", "\ufeff", " ",
                                      "\t", "\\", "a", "é", "1"])),
))
def test_no_text_crashes_the_csv_reader(content: str) -> None:
    try:
        table = parse_csv_text(content)
    except TableError as error:
        assert error.problem.code
        return
    assert isinstance(table, Table)
    assert all(len(row) == len(table.columns) for _line, row in table.rows)


def outcome(report: ImportReport) -> str:
    if report.problems:
        return f"rejected: {report.problems[0].code}"
    return "accepted, updating" if report.updated else "accepted"


def check_no_crash(engine: Engine, importer: Importer, content: str) -> None:
    table = table_or_none(content)
    if table is None:
        return
    with Session(engine) as session:
        try:
            report = importer(session=session, table=table, actor=ACTOR, today=TODAY, now=NOW)
            assert isinstance(report, ImportReport)
            event(outcome(report))
            assert report.rows == len(table.rows)
            if not report.problems:
                assert report.created + report.updated + report.unchanged == report.rows
        finally:
            session.rollback()


@HEAVY
@given(content=poc_files)
def test_no_file_crashes_the_poc_importer(seeded_engine: Engine, content: str) -> None:
    check_no_crash(seeded_engine, import_pocs, content)


@HEAVY
@given(content=submission_files)
def test_no_file_crashes_the_submission_importer(seeded_engine: Engine, content: str) -> None:
    check_no_crash(seeded_engine, import_submissions, content)


@pytest.mark.parametrize("kind", sorted(IMPORTERS))
@HEAVY
@given(data=st.data())
def test_a_rejected_file_leaves_the_database_unchanged(
    seeded_engine: Engine, kind: str, data: st.DataObject
) -> None:
    importer, files = IMPORTERS[kind]
    table = table_or_none(data.draw(files, label="file"))
    if table is None:
        return
    before = committed_counts(seeded_engine)
    with Session(seeded_engine) as session:
        try:
            report = importer(session=session, table=table, actor=ACTOR, today=TODAY, now=NOW)
            event(outcome(report))
            if report.problems:
                # nothing flushed, nothing pending: committing now would write nothing
                assert counts(session) == before
                assert not (session.new or session.dirty or session.deleted)
                assert committed_counts(seeded_engine) == before
            else:  # flushed, not committed: exactly what the report counts, then undone
                written = "poc" if kind == "pocs" else "submission"
                after = counts(session)
                assert after[written] - before[written] == report.created
                assert after["audit_entry"] - before["audit_entry"] == (
                    report.created + report.updated)
        finally:
            session.rollback()


@pytest.mark.parametrize("kind", sorted(IMPORTERS))
@HEAVY
@given(data=st.data())
def test_a_dry_run_never_writes(seeded_engine: Engine, kind: str, data: st.DataObject) -> None:
    importer, files = IMPORTERS[kind]
    table = table_or_none(data.draw(files, label="file"))
    if table is None:
        return
    before = committed_counts(seeded_engine)
    with Session(seeded_engine) as session:
        try:
            report = importer(session=session, table=table, actor=ACTOR, today=TODAY,
                              now=NOW, dry_run=True)
            event(outcome(report))
            assert report.dry_run and not report.written
            assert counts(session) == before
            assert not (session.new or session.dirty or session.deleted)
            assert committed_counts(seeded_engine) == before
        finally:
            session.rollback()
