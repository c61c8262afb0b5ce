"""When a Chair's quarterly message goes out by default: pure date arithmetic.

The first working day of the next quarter at 10:00 in New York, where the Committee sits.
Working days skip Saturdays, Sundays and 1 January (the only holiday every UN duty station
shares on the first days of a quarter).
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

NEW_YORK = ZoneInfo("America/New_York")
SEND_TIME = time(10, 0)


def next_quarter_start(today: date) -> date:
    """The first day of the quarter after the one `today` is in."""
    quarter = (today.month - 1) // 3
    if quarter == 3:
        return date(today.year + 1, 1, 1)
    return date(today.year, 3 * (quarter + 1) + 1, 1)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and (day.month, day.day) != (1, 1)


def first_working_day_from(day: date) -> date:
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def default_send_at(now: datetime) -> datetime:
    """The default send time (UTC) for a message drafted at `now` (aware)."""
    today_in_new_york = now.astimezone(NEW_YORK).date()
    day = first_working_day_from(next_quarter_start(today_in_new_york))
    return datetime.combine(day, SEND_TIME, tzinfo=NEW_YORK).astimezone(UTC)
