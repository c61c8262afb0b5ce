"""The default send time of a Chair's message: the next quarter's first working day, 10:00
in New York."""

from datetime import UTC, date, datetime, timedelta, timezone

from scheduler.quarters import default_send_at, first_working_day_from, next_quarter_start


def test_a_message_drafted_in_november_goes_out_on_the_first_working_day_of_january() -> None:
    # 1 January 2027 is a Friday (holiday), then a weekend: Monday 4 January
    drafted = datetime(2026, 11, 27, 14, 0, tzinfo=UTC)
    assert default_send_at(drafted) == datetime(2027, 1, 4, 15, 0, tzinfo=UTC)  # EST, UTC-5


def test_when_the_first_falls_on_a_weekend_the_monday_after_is_used() -> None:
    # 1 July 2028 is a Saturday
    assert next_quarter_start(date(2028, 5, 10)) == date(2028, 7, 1)
    assert first_working_day_from(date(2028, 7, 1)) == date(2028, 7, 3)
    assert default_send_at(datetime(2028, 5, 10, tzinfo=UTC)) == datetime(
        2028, 7, 3, 14, 0, tzinfo=UTC)


def test_new_year_on_a_monday_moves_to_the_second_of_january() -> None:
    # 1 January 2029 is a Monday
    assert default_send_at(datetime(2028, 12, 1, tzinfo=UTC)) == datetime(
        2029, 1, 2, 15, 0, tzinfo=UTC)


def test_new_year_on_a_sunday_moves_to_the_second_which_is_a_monday() -> None:
    # 1 January 2034 is a Sunday
    assert default_send_at(datetime(2033, 10, 15, tzinfo=UTC)) == datetime(
        2034, 1, 2, 15, 0, tzinfo=UTC)


def test_ten_in_new_york_follows_daylight_saving_time() -> None:
    # 1 April 2027 (Thursday) is in EDT (UTC-4); 1 October 2027 (Friday) too; January is EST
    april = default_send_at(datetime(2027, 2, 1, tzinfo=UTC))
    assert april == datetime(2027, 4, 1, 14, 0, tzinfo=UTC)
    january = default_send_at(datetime(2027, 11, 1, tzinfo=UTC))
    assert january.hour == 15
    assert january.astimezone(timezone(timedelta(hours=-5))).hour == 10


def test_the_quarter_is_read_in_new_york_not_in_utc() -> None:
    # 31 March 2027 23:30 in New York is already 1 April in UTC: the next quarter is July
    late_march_in_new_york = datetime(2027, 4, 1, 3, 30, tzinfo=UTC)
    assert default_send_at(late_march_in_new_york) == datetime(2027, 4, 1, 14, 0, tzinfo=UTC)
    assert default_send_at(datetime(2027, 4, 1, 4, 30, tzinfo=UTC)) == datetime(
        2027, 7, 1, 14, 0, tzinfo=UTC)


def test_the_last_quarter_rolls_over_into_the_next_year() -> None:
    assert next_quarter_start(date(2026, 12, 31)) == date(2027, 1, 1)
    assert next_quarter_start(date(2026, 10, 1)) == date(2027, 1, 1)
    assert next_quarter_start(date(2026, 9, 30)) == date(2026, 10, 1)
