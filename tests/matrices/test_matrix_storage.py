"""Matrix versions in the database: what a row alone may not hold is refused by the database
itself (on SQLite and PostgreSQL), every write is audited, and a State's approval is a step
of its own (issue 16 will let a PoC take it through the bot)."""

from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from storage import audit
from storage.matrices import versions
from storage.matrices.versions import Cell, MatrixError, VersionFields
from tests.matrices.support import cells, party, version
from tests.support.outbox import NOW

SENT = date(2020, 6, 1)


def _insert_version(session: Session, sent: str, approved: str | None,
                    published: str | None) -> None:
    session.execute(text(
        "INSERT INTO matrix_version (party_id, version, template, sent_on, approved_on,"
        " published_on, created_at) VALUES (:party, 1, 2017, :sent, :approved, :published,"
        " :at)"), {"party": party(session, "KEN").id, "sent": date.fromisoformat(sent),
                   "approved": approved and date.fromisoformat(approved),
                   "published": published and date.fromisoformat(published), "at": NOW})


@pytest.mark.parametrize(("sent", "approved", "published"), [
    ("2020-06-01", "2020-05-31", None),  # approved the day before it was sent
    ("2020-06-01", None, "2020-07-01"),  # published, never approved
    ("2020-06-01", "2020-07-02", "2020-07-01"),  # published the day before approval
])
def test_the_database_refuses_dates_out_of_order(
    session: Session, sent: str, approved: str | None, published: str | None
) -> None:
    with pytest.raises(IntegrityError):
        _insert_version(session, sent, approved, published)
        session.flush()


def test_the_database_accepts_the_same_day_for_every_step(session: Session) -> None:
    _insert_version(session, "2020-06-01", "2020-06-01", "2020-06-01")
    session.flush()


@pytest.mark.parametrize(("section", "category", "recorded", "possible"), [
    ("op1", "nw", 11, 10),  # recorded more than possible
    ("op1", "nw", -1, 10),
    ("op1", "nw", 0, -1),
    ("op4", "nw", 1, 10),  # no such section
    ("op1", "dw", 1, 10),  # no such category
])
def test_the_database_refuses_a_cell_no_template_holds(
    session: Session, section: str, category: str, recorded: int, possible: int
) -> None:
    saved = version(session, "KEN", 1, SENT)
    with pytest.raises(IntegrityError):
        session.execute(text(
            "INSERT INTO matrix_cell (version_id, section, category, recorded, possible)"
            " VALUES (:v, :s, :c, :r, :p)"),
            {"v": saved.id, "s": section, "c": category, "r": recorded, "p": possible})
        session.flush()


def test_the_database_refuses_a_second_row_for_one_cell(session: Session) -> None:
    saved = version(session, "KEN", 1, SENT)
    with pytest.raises(IntegrityError):
        session.execute(text(
            "INSERT INTO matrix_cell (version_id, section, category, recorded, possible)"
            " VALUES (:v, 'op1', 'nw', 1, 10)"), {"v": saved.id})
        session.flush()


def test_saving_is_audited_and_an_unchanged_version_writes_nothing(session: Session) -> None:
    saved = version(session, "KEN", 1, SENT, recorded=3)
    fields = VersionFields(2017, SENT, None, None, cells(3))
    _, changed = versions.save(session=session, party=party(session, "KEN"), number=1,
                               fields=fields, actor="ana", now=NOW)
    assert not changed
    version(session, "KEN", 1, SENT, recorded=4)
    entries = audit.entries(session=session, entity="matrix_version", entity_id=str(saved.id))
    assert [entry.action for entry in entries] == ["create", "update"]
    assert entries[1].before is not None and entries[1].after is not None
    assert entries[1].before["cells"][0] == ["op1", "nw", 3, 10]
    assert entries[1].after["cells"][0] == ["op1", "nw", 4, 10]
    assert entries[1].actor == "ana"


@pytest.mark.parametrize(("fields", "code"), [
    (VersionFields(2017, SENT, date(2020, 5, 1), None, cells(1)),
     "matrix_approved_before_sent"),
    (VersionFields(2017, SENT, None, date(2020, 7, 1), cells(1)),
     "matrix_published_unapproved"),
    (VersionFields(2017, SENT, date(2020, 7, 1), date(2020, 6, 30), cells(1)),
     "matrix_published_before_approved"),
    (VersionFields(2017, SENT, None, None, cells(1)[:-1]), "matrix_cells_incomplete"),
    (VersionFields(2017, SENT, None, None, (*cells(1)[:-1], Cell("op3_ab", "bw", 11, 10))),
     "matrix_bad_counts"),
    (VersionFields(2017, date(2030, 1, 1), None, None, cells(1)), "matrix_bad_day"),
])
def test_saving_refuses_what_no_expert_could_have_drawn(
    session: Session, fields: VersionFields, code: str
) -> None:
    with pytest.raises(MatrixError) as refused:
        versions.save(session=session, party=party(session, "KEN"), number=1, fields=fields,
                      actor="ana", now=NOW)
    assert refused.value.code == code
    assert versions.listing(session=session) == []


def test_a_matrix_belongs_to_a_member_state(session: Session) -> None:
    with pytest.raises(MatrixError) as refused:
        versions.save(session=session, party=party(session, "OSCE"), number=1,
                      fields=VersionFields(2017, SENT, None, None, cells(1)), actor="ana",
                      now=NOW)
    assert refused.value.code == "matrix_not_a_state"


def test_a_state_approves_its_draft_once_and_the_step_is_audited(session: Session) -> None:
    draft = version(session, "KEN", 2, SENT)
    with pytest.raises(MatrixError) as early:
        versions.approve(session=session, version=draft, approved_on=date(2020, 5, 31),
                         actor="poc:7", now=NOW)
    assert early.value.code == "matrix_approved_before_sent"
    assert versions.approve(session=session, version=draft, approved_on=date(2020, 9, 1),
                            actor="poc:7", now=NOW)
    assert not versions.approve(session=session, version=draft, approved_on=date(2020, 9, 1),
                                actor="poc:7", now=NOW)
    with pytest.raises(MatrixError) as again:
        versions.approve(session=session, version=draft, approved_on=date(2020, 9, 2),
                         actor="poc:7", now=NOW)
    assert again.value.code == "matrix_already_approved"
    entries = audit.entries(session=session, entity="matrix_version", entity_id=str(draft.id))
    assert [(e.action, e.actor) for e in entries] == [("create", "ana"), ("approve", "poc:7")]
    assert entries[1].after is not None and entries[1].after["approved_on"] == "2020-09-01"


def test_the_latest_approved_version_is_the_later_approval_then_the_higher_number(
    session: Session,
) -> None:
    version(session, "KEN", 1, date(2015, 1, 1), approved=date(2016, 3, 1), recorded=1)
    version(session, "KEN", 2, date(2019, 1, 1), approved=date(2020, 3, 1), recorded=2)
    version(session, "KEN", 3, date(2019, 6, 1), approved=date(2020, 3, 1), recorded=3)
    version(session, "KEN", 4, date(2021, 1, 1), recorded=4)  # a draft under review
    kenya = party(session, "KEN").id or 0

    def counted(day: date | None) -> int | None:
        found = versions.latest(session=session, party_id=kenya, approved_by=day)
        return None if found is None else found.version.version

    assert counted(date(2016, 2, 29)) is None
    assert counted(date(2016, 3, 1)) == 1
    assert counted(date(2020, 2, 29)) == 1
    assert counted(date(2020, 3, 1)) == 3
    assert counted(None) == 4
