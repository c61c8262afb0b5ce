"""Migrations 0021 (a document names the letter it answers) and 0022 (comments name the
matrix review), on each backend: a document received before names nothing, a letter or review
that does not exist cannot be named, and the way back keeps the documents."""

import pytest
from alembic import command
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from storage.db import alembic_config, migrate, schema_is_current, session_scope
from storage.inbox.model import ReceivedDocument
from storage.reference_data import load_reference_data
from tests.storage.test_assistance_conference_migration import fresh  # noqa: F401
from tests.support.outbox import NOW, add_poc

INSERT = ("INSERT INTO inbox_document (party_id, poc_id, purpose, original_name, stored_name,"
          " size, checksum, detected_type, channel, status, received_at)"
          " VALUES (:party, :poc, :purpose, 'before.pdf', :name, 10, :sum, 'pdf',"
          " 'web', 'received', :now)")


@pytest.mark.parametrize(("before", "purpose", "column"), [
    ("0019", "letter_response", "letter_id"),  # 0021
    ("0021", "matrix_comments", "matrix_review_id"),  # 0022
])
def test_documents_received_before_name_nothing_and_the_way_back_keeps_them(
    fresh: Engine, before: str, purpose: str, column: str,  # noqa: F811
) -> None:
    command.upgrade(alembic_config(fresh), before)
    with session_scope(fresh) as session:
        load_reference_data(session=session, now=NOW)
        poc = add_poc(session, "KEN", "Wanjiru Example-Test", "wanjiru@example.org")
        party = session.execute(text("SELECT party_id FROM poc WHERE id = :id"),
                                {"id": poc}).scalar_one()
        session.execute(text(INSERT), {"party": party, "poc": poc, "purpose": purpose,
                                       "name": "a.pdf", "sum": "a" * 64, "now": NOW})
    migrate(fresh)
    assert schema_is_current(fresh)
    with Session(fresh) as session:
        [document] = session.exec(select(ReceivedDocument)).all()
        assert (document.original_name, getattr(document, column)) == ("before.pdf", None)
        with pytest.raises(IntegrityError):
            session.execute(text(f"UPDATE inbox_document SET {column} = 4242"))
            session.flush()
        session.rollback()
    command.downgrade(alembic_config(fresh), before)
    with session_scope(fresh) as session:
        kept = session.execute(text("SELECT original_name FROM inbox_document")).all()
        assert [row[0] for row in kept] == ["before.pdf"]
    migrate(fresh)
    assert schema_is_current(fresh)
