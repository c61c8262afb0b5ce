"""The wall clock, read in one place: everything else takes `now` (or a clock) as a value."""

from datetime import UTC, datetime

__all__ = ["utc_now"]


def utc_now() -> datetime:
    """Now, tz-aware in UTC, as storage keeps every time."""
    return datetime.now(UTC)
