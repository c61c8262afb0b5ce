"""The next moment inside a PoC's working hours, in their own time zone, DST included."""

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class WorkingHours:
    start: time = time(9, 0)
    end: time = time(17, 0)
    weekdays: frozenset[int] = frozenset(range(5))  # Monday=0 ... Friday=4


def next_working_moment(now: datetime, zone: str, hours: WorkingHours | None = None) -> datetime:
    """`now` itself if it falls in working hours there, else the next opening, in UTC.

    Local times are built from wall-clock values each day, so a day that is 23 or 25 hours
    long (a daylight-saving change) still opens at 09:00 local time.
    """
    hours = hours or WorkingHours()
    tz = ZoneInfo(zone)
    local = now.astimezone(tz)
    for offset in range(8):
        day = local.date() + timedelta(days=offset)
        if day.weekday() not in hours.weekdays:
            continue
        opening = datetime.combine(day, hours.start, tzinfo=tz)
        closing = datetime.combine(day, hours.end, tzinfo=tz)
        if offset == 0 and opening <= local < closing:
            return now.astimezone(UTC)
        if local < opening:
            return opening.astimezone(UTC)
    raise ValueError("working hours name no weekday")
