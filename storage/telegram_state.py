"""The Telegram bot's unsaved state: drafts and conversation steps, kept across restarts.

One row per (kind, key): kind names what the bot keeps ("bot_data", "user_data",
"conversation"...), key which entry; the value is JSON the bot encodes and decodes itself
(bot.chat.persistence). Kept in our database so that a restart, or a fail-over to another
host on PostgreSQL, finds a half-written draft where it was. Two processes overlapping
briefly during a fail-over both write: the last writer wins (an upsert, never a duplicate-key
error). The values hold what staff typed: they are never logged.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Engine, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Field, Session, SQLModel

from storage.columns import UTCDateTime

__all__ = ["TelegramState", "drop_state", "load_states", "save_state"]


class TelegramState(SQLModel, table=True):
    __tablename__ = "telegram_state"

    kind: str = Field(primary_key=True, max_length=20)
    key: str = Field(primary_key=True, max_length=200)
    value: Any = Field(sa_column=Column(JSON, nullable=False))
    updated_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


def load_states(engine: Engine, kind: str) -> dict[str, Any]:
    """Every stored value of `kind`, by key."""
    with Session(engine) as session:
        rows = session.execute(select(TelegramState.key, TelegramState.value)  # type: ignore[call-overload]
                               .where(TelegramState.kind == kind)).all()
    return {key: value for key, value in rows}


def save_state(engine: Engine, kind: str, key: str, value: Any, now: datetime) -> None:
    """Insert or replace one value (an upsert: a concurrent writer cannot make it fail)."""
    dialect = engine.dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(TelegramState.__table__).values(  # type: ignore[attr-defined]
        kind=kind, key=key, value=value, updated_at=now)
    statement = statement.on_conflict_do_update(
        index_elements=["kind", "key"], set_={"value": value, "updated_at": now})
    with engine.begin() as connection:
        connection.execute(statement)


def drop_state(engine: Engine, kind: str, key: str) -> None:
    """Forget one value (nothing happens if there is none)."""
    table = TelegramState.__table__  # type: ignore[attr-defined]
    with engine.begin() as connection:
        connection.execute(delete(table).where(table.c.kind == kind, table.c.key == key))
