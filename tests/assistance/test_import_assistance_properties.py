"""Properties of the assistance importer: no file crashes it; a rejected file writes nothing;
an accepted file's requests, exported, import back unchanged."""

import csv
import io
from datetime import UTC, date, datetime, time

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from storage.assistance import requests
from storage.assistance.model import CLOSED, AssistanceRequest, RequestChannel, RequestStatus
from storage.audit import AuditEntry
from storage.imports.assistance import COLUMNS, file_row, import_assistance
from storage.imports.tabular import Table, TableError, parse_csv_text
from tests.support.import_files import TODAY, garbage, good_days, good_states, mixed

NOW = datetime.combine(TODAY, time(14, 0), tzinfo=UTC)
HEAVY = settings(max_examples=60, deadline=None,
                 suppress_health_check=[HealthCheck.function_scoped_fixture,
                                        HealthCheck.too_slow])

needs = st.lists(st.sampled_from(["op3_ab", "op3_cd/chemical", "training", "OP2",
                                  "equipment/ nuclear", "funding", "legislation/delivery"]),
                 min_size=1, max_size=3).map("; ".join)
BEFORE_OPEN = (RequestStatus.RECEIVED, RequestStatus.CIRCULATED)  # not yet on the website
optional_days = st.one_of(st.just(""), good_days)
GOOD = {
    "state": good_states,
    "received_on": good_days,
    "channel": st.sampled_from([*RequestChannel, "Note verbale"]),
    "needs": needs,
    "reference": st.sampled_from(["", "NV/1", "NV/2", "R" * 80]),
    "summary": st.sampled_from(["", "Border controls", "S" * 2000, "Контроль"]),
    "consent": st.sampled_from(["", "yes", "no", "YES"]),
    "status": st.sampled_from(["", *RequestStatus]),
    "status_on": optional_days,
    "published_on": optional_days,
    "closed_on": optional_days,
    "maintained_on": optional_days,
}
BAD = {"state": st.sampled_from(["IAEA", "Kenia", ""]), "needs": st.sampled_from(
    ["", "op3", "training/anthrax"]), "reference": st.just("R" * 81),
    "summary": st.just("S" * 2001), "consent": st.just("maybe")}


@st.composite
def consistent_row(draw: st.DrawFn) -> dict[str, str]:
    """A row a careful person writes: the dates agree with the step."""
    row = {column: draw(GOOD[column]) for column in COLUMNS}
    received = draw(st.dates(min_value=date(2004, 4, 28), max_value=TODAY))
    row["received_on"] = received.isoformat()
    later = st.dates(min_value=received, max_value=TODAY).map(date.isoformat)
    status = row["status"] or RequestStatus.RECEIVED
    row["status_on"] = ("" if status == RequestStatus.RECEIVED and draw(st.booleans())
                        else received.isoformat() if status == RequestStatus.RECEIVED
                        else draw(later))
    published = status not in BEFORE_OPEN and row["consent"].lower() == "yes"
    row["published_on"] = draw(later) if published and draw(st.booleans()) else ""
    row["closed_on"] = row["status_on"] if status in CLOSED else ""
    row["maintained_on"] = draw(st.one_of(st.just(""), later))
    return row


@st.composite
def files(draw: st.DrawFn) -> str:
    clean = draw(st.integers(0, 2)) > 0  # two files in three
    values = {column: mixed(GOOD[column], BAD[column], garbage) if column in BAD
              else GOOD[column] for column in COLUMNS}
    rows = [draw(consistent_row()) if clean else {column: draw(values[column])
                                                  for column in COLUMNS}
            for _ in range(draw(st.integers(0, 4)))]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def count(session: Session, table: type[AssistanceRequest] | type[AuditEntry]) -> int:
    return session.exec(select(func.count()).select_from(table)).one()


def exported(session: Session) -> Table:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(file_row(view) for view in requests.listing(session=session))
    return parse_csv_text(out.getvalue())


@HEAVY
@given(content=files())
def test_an_accepted_file_round_trips_and_a_rejected_one_writes_nothing(
    engine: Engine, content: str
) -> None:
    try:
        table = parse_csv_text(content)
    except TableError:
        return
    with Session(engine) as session:
        try:
            report = import_assistance(session=session, table=table, actor="test",
                                       today=TODAY, now=NOW)
            if report.problems:
                event(f"rejected: {report.problems[0].code}")
                assert count(session, AssistanceRequest) == 0
                assert count(session, AuditEntry) == 0
                return
            event("accepted")
            assert report.created == report.rows == count(session, AssistanceRequest)
            again = import_assistance(session=session, table=exported(session),
                                      actor="test", today=TODAY, now=NOW)
            assert not again.problems, again.problems
            assert (again.created, again.updated, again.unchanged) == (0, 0, report.rows)
        finally:
            session.rollback()
