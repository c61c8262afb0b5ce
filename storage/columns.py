"""Column types shared by every table."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back tz-aware.

    SQLite drops the offset on the way in, so a plain DateTime(timezone=True) would hand back
    naive values there and aware ones on PostgreSQL; this keeps both backends identical.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column; pass an aware datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def within(text: str, limit: int) -> str:
    """`text` as a column of `limit` characters can hold it, for words that come from outside
    (a server's reply, an exception, a summary built from a list): whole when it fits, else
    cut with a visible mark saying how much is missing, so no reader takes it for the whole.
    NUL, which PostgreSQL refuses in text, becomes U+FFFD."""
    text = text.replace("\x00", "\ufffd")
    if len(text) <= limit:
        return text
    # The mark's length depends on the count it shows: size it for the longest count first.
    kept = max(0, limit - len(_cut_mark(len(text))))
    return (text[:kept] + _cut_mark(len(text) - kept))[:limit]


def _cut_mark(hidden: int) -> str:
    return f" [... {hidden} more characters]"
