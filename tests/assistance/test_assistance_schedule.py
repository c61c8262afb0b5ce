"""What the scheduler chases: requests overdue at a step, follow-ups a year after a match."""

from datetime import date

import pytest

from scheduler.assistance import (
    STEP_DAYS,
    WaitingRequest,
    digest_period,
    follow_up_due,
    overdue,
    step_days,
)

TODAY = date(2024, 3, 31)


def waiting(request_id: int, status: str, status_on: date) -> WaitingRequest:
    return WaitingRequest(request_id=request_id, party_id=100 + request_id, status=status,
                          status_on=status_on)


def test_a_request_past_its_steps_duration_is_overdue_and_the_longest_wait_comes_first() -> None:
    found = overdue([
        waiting(1, "received", date(2024, 3, 1)),  # 30 days: on the limit, not over it
        waiting(2, "received", date(2024, 2, 29)),  # 31 days
        waiting(3, "open", date(2023, 10, 1)),  # 182 days against 90
        waiting(4, "met", date(2020, 1, 1)),  # closed: never overdue
    ], step_days(), TODAY)
    assert [(item.request_id, item.days_waited, item.allowed_days) for item in found] == [
        (3, 182, 90), (2, 31, 30)]


def test_staff_can_give_a_step_more_time() -> None:
    durations = step_days({"received": 45})
    assert durations["received"] == 45 and durations["open"] == STEP_DAYS["open"]
    assert overdue([waiting(2, "received", date(2024, 2, 29))], durations, TODAY) == []


@pytest.mark.parametrize(("overrides", "words"), [
    ({"met": 10}, "unknown assistance step 'met'"),
    ({"open": 0}, "at least one day"),
])
def test_a_duration_no_procedure_has_is_refused(overrides: dict[str, int], words: str) -> None:
    with pytest.raises(ValueError, match=words):
        step_days(overrides)


def test_a_state_is_asked_a_year_after_the_match_and_only_once() -> None:
    matched = {1: date(2023, 3, 31), 2: date(2023, 4, 1), 3: date(2022, 1, 1)}
    assert follow_up_due(matched, asked=[3], today=TODAY) == [1]


def test_a_match_on_29_february_is_followed_up_on_28_february() -> None:
    assert follow_up_due({1: date(2024, 2, 29)}, asked=[], today=date(2025, 2, 27)) == []
    assert follow_up_due({1: date(2024, 2, 29)}, asked=[], today=date(2025, 2, 28)) == [1]


@pytest.mark.parametrize(("today", "quarter"), [
    (date(2024, 1, 1), (date(2024, 1, 1), date(2024, 3, 31))),
    (date(2024, 5, 17), (date(2024, 4, 1), date(2024, 6, 30))),
    (date(2024, 12, 31), (date(2024, 10, 1), date(2024, 12, 31))),
])
def test_a_providers_digest_covers_the_calendar_quarter(
    today: date, quarter: tuple[date, date]
) -> None:
    assert digest_period(today) == quarter
