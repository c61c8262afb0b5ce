"""When a State that was sent its draft matrix is reminded: pure rules, a fixed day."""

from datetime import date

import pytest

from scheduler.matrix_reviews import Stand, owed, remind_from

DUE = date(2026, 12, 15)


@pytest.mark.parametrize(("stand", "first"), [
    (Stand.PENDING, date(2026, 12, 16)),  # the due date itself is in time
    (Stand.COMMENTS, None),  # the secretariat studies the comments: no reminder
    (Stand.APPROVED, None),  # approved: never again
])
def test_the_first_reminder_day_follows_the_answer(stand: Stand, first: date | None) -> None:
    assert remind_from(DUE, stand) == first


@pytest.mark.parametrize(("today", "expected"), [
    (date(2026, 12, 15), False), (date(2026, 12, 16), True), (date(2027, 3, 1), True)])
def test_a_state_without_an_answer_is_late_only_after_the_due_date(
        today: date, expected: bool) -> None:
    assert owed(DUE, Stand.PENDING, today) is expected
    assert owed(DUE, Stand.COMMENTS, today) is False
    assert owed(DUE, Stand.APPROVED, today) is False
