"""The service's log lines: their levels, and no personal data hidden in database errors.

SQLAlchemy hides a statement's values (storage.db: `hide_parameters`), but the database's own
message can quote them too: PostgreSQL's "Failing row contains (..., Claire ..., ...)". A
logged traceback of such an error keeps the frames and the error's kind, not that message.
"""

import logging
import traceback
from types import TracebackType

from sqlalchemy.exc import DBAPIError

__all__ = ["WITHHELD", "PrivateFormatter", "configure_logging"]

WITHHELD = "the database's message is not logged: it may quote personal data"

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def _chain(error: BaseException) -> list[BaseException]:
    """`error` and the errors it was raised from or during, innermost first."""
    seen: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return list(reversed(seen))


class PrivateFormatter(logging.Formatter):
    def formatException(self, ei: ExcInfo | tuple[None, None, None]) -> str:
        error = ei[1]
        if error is None or not any(isinstance(e, DBAPIError) for e in _chain(error)):
            return super().formatException(ei)
        parts = []
        for link in _chain(error):
            frames = "".join(traceback.format_tb(link.__traceback__))
            if isinstance(link, DBAPIError):
                summary = f"{type(link).__name__} ({type(link.orig).__name__}): {WITHHELD}"
            else:
                summary = f"{type(link).__name__}: {WITHHELD}"
            parts.append(f"Traceback (most recent call last):\n{frames}{summary}")
        return "\n\nDuring the handling of the above, another exception occurred:\n\n".join(parts)


def configure_logging(level_name: str) -> None:
    """The service's logging: one line per record on standard error, at `level_name`
    (OUTREACH_LOG_LEVEL), with the libraries that would log secrets or people kept quieter."""
    handler = logging.StreamHandler()
    handler.setFormatter(PrivateFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=level_name.upper(), handlers=[handler])
    # httpx logs every request URL at INFO, and a Bot API URL contains the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # python-telegram-bot's DEBUG lines quote whole updates: people's names and words.
    level = logging.getLevelName(level_name.upper())
    logging.getLogger("telegram").setLevel(max(level, logging.INFO))
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # a line per tick is noise
