"""The service's log lines keep database errors' frames and kind, not their values."""

import logging
import sys

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError

from bot.logs import WITHHELD, PrivateFormatter


def test_a_logged_database_error_does_not_carry_the_values_it_was_given(
    engine: Engine
) -> None:
    """Errors end up in logs; the values are PoCs' names and addresses. SQLAlchemy hides
    the statement's values; PostgreSQL's own message quotes the failing row, so the
    service's log format leaves the database's message out."""
    try:
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO poc (full_name) VALUES (:name)"),
                               {"name": "Claire Invented"})
    except IntegrityError:
        record = logging.LogRecord("bot.test", logging.ERROR, __file__, 1, "not saved", (),
                                   sys.exc_info())
    else:
        pytest.fail("a PoC without a party was saved")
    assert "SQL parameters hidden" in str(record.exc_info[1])  # type: ignore[index]
    logged = PrivateFormatter("%(levelname)s %(name)s: %(message)s").format(record)
    assert "Claire Invented" not in logged
    assert logged.startswith("ERROR bot.test: not saved\nTraceback")
    assert f"IntegrityError ({type(record.exc_info[1].orig).__name__}): {WITHHELD}" in logged  # type: ignore[index,union-attr]


def test_other_errors_are_logged_whole() -> None:
    try:
        raise ValueError("a plain mistake")
    except ValueError:
        record = logging.LogRecord("bot.test", logging.ERROR, __file__, 1, "failed", (),
                                   sys.exc_info())
    assert "ValueError: a plain mistake" in PrivateFormatter().format(record)
