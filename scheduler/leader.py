"""One scheduler per database: only the process holding a lock runs the ticks.

On PostgreSQL the lock is a session-level advisory lock held on a connection of its own:
the server drops it when that session ends, so a process that dies, even by SIGKILL, frees
it, and another `outreach run` takes over at its next try. On SQLite it is an exclusive
`flock` on a file next to the database file, which the kernel drops when the process dies.

Between two checks of `held()` a process that has just lost the lock may still run a tick
while another has already taken over; that is harmless, because the dispatcher claims each
delivery under a lease in the database, but it is why the check interval stays short.
"""

import asyncio
import contextlib
import enum
import fcntl
import hashlib
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

log = logging.getLogger(__name__)

# The advisory lock key: a fixed signed 64-bit integer (-3040101497385415681) derived from
# a name, so it does not collide with a key another application on the server picked by
# hand. pg_locks shows it as classid (high 32 bits) and objid (low 32 bits), objsubid 1.
SCHEDULER_LOCK_NAME = "outreach-1540 scheduler"
SCHEDULER_LOCK_KEY = int.from_bytes(
    hashlib.sha256(SCHEDULER_LOCK_NAME.encode()).digest()[:8], "big", signed=True
)
LOCK_FILE_SUFFIX = ".scheduler.lock"
LOCK_APPLICATION_NAME = "outreach-1540 scheduler lock"  # how pg_stat_activity shows it

GAINED = "scheduler: this process runs the ticks"
STANDING_BY = "scheduler: another process holds the lock; standing by"
STANDING_BY_SQLITE = (
    "scheduler: another `outreach run` is using this database file: this process will not "
    "run the scheduler (it takes over if that one stops)"
)
LOST = "scheduler: the lock is no longer ours; stopping the ticks"
UNREACHABLE = "scheduler: cannot take the lock (%s); trying again every %g s"


class SchedulerLock(Protocol):
    """A lock that at most one process at a time holds, freed when its holder dies."""

    def try_acquire(self) -> bool:
        """Take the lock without waiting; True when this process holds it now."""
        ...

    def release(self) -> None:
        """Let the lock go; a no-op when not held."""
        ...

    def held(self) -> bool:
        """Whether the lock is still this process's (e.g. its connection is still alive)."""
        ...


class PostgresAdvisoryLock:
    """A session-level `pg_try_advisory_lock` on a connection used for nothing else.

    The connection comes from an engine of its own (no pool, autocommit, so it never sits
    idle in a transaction), built from the application engine's URL. TCP keepalives and a
    user timeout bound how long a check may hang on a network that went silent.
    """

    def __init__(self, engine: Engine, key: int = SCHEDULER_LOCK_KEY) -> None:
        if engine.dialect.name != "postgresql":
            raise ValueError(f"an advisory lock needs PostgreSQL, not {engine.dialect.name}")
        self.key = key
        self._engine = create_engine(
            engine.url,
            poolclass=NullPool,
            isolation_level="AUTOCOMMIT",
            connect_args={
                "connect_timeout": 10,
                "application_name": LOCK_APPLICATION_NAME,
                "keepalives": 1,
                "keepalives_idle": 30,
                "keepalives_interval": 10,
                "keepalives_count": 3,
                "tcp_user_timeout": 60_000,  # milliseconds
            },
        )
        self._connection: Connection | None = None

    def try_acquire(self) -> bool:
        """True when the lock is ours; False when another session holds it.

        Raises SQLAlchemyError when the server cannot be reached.
        """
        if self._connection is not None and self.held():
            return True  # already ours: taking it twice would need two unlocks
        connection = self._engine.connect()
        try:
            acquired = connection.execute(
                text("SELECT pg_try_advisory_lock(:key)"), {"key": self.key}
            ).scalar_one()
        except BaseException:
            _close_quietly(connection)
            raise
        if not acquired:
            _close_quietly(connection)
            return False
        self._connection = connection
        return True

    def held(self) -> bool:
        connection = self._connection
        if connection is None:
            return False
        try:
            connection.execute(text("SELECT 1"))
        except SQLAlchemyError:
            self._connection = None
            _close_quietly(connection)
            return False
        return True

    def release(self) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": self.key})
        except SQLAlchemyError:
            pass  # the session is gone, and the lock with it
        finally:
            _close_quietly(connection)


def _close_quietly(connection: Connection) -> None:
    with contextlib.suppress(SQLAlchemyError):
        connection.close()


class SqliteFileLock:
    """An exclusive, non-blocking `flock` on `<database file>.scheduler.lock`.

    `flock` locks belong to an open file, so two locks in one process exclude each other
    too, and the descriptor is not inherited by child processes. The file is left in place
    when released: removing it would let two processes lock two different files.
    """

    def __init__(self, database_path: Path) -> None:
        self.database_path = database_path.resolve()
        self.path = self.database_path.with_name(self.database_path.name + LOCK_FILE_SUFFIX)
        self._fd: int | None = None

    def try_acquire(self) -> bool:
        if self._fd is not None and self.held():
            return True
        self.release()  # a lock file that was removed or replaced guards nothing: drop it
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        return True

    def held(self) -> bool:
        """Ours while the descriptor is open and still names the file at `self.path`."""
        if self._fd is None:
            return False
        try:
            return os.fstat(self._fd).st_ino == os.stat(self.path).st_ino
        except FileNotFoundError:
            return False

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)


def sqlite_database_path(url: URL) -> Path | None:
    """The file of a SQLite URL; None for an in-memory database."""
    database = url.database or ""
    if database.startswith("file:"):  # a URI filename (`?uri=true`)
        database, _, query = database.removeprefix("file:").partition("?")
        if "mode=memory" in query.split("&"):
            return None
    if database in ("", ":memory:"):
        return None
    return Path(database)


def lock_for(engine: Engine) -> SchedulerLock | None:
    """The lock for `engine`'s database; None when no other process can share it."""
    dialect = engine.dialect.name
    if dialect == "postgresql":
        return PostgresAdvisoryLock(engine)
    if dialect == "sqlite":
        path = sqlite_database_path(engine.url)
        return None if path is None else SqliteFileLock(path)
    raise ValueError(f"no scheduler lock for a {dialect} database")


class _State(enum.Enum):
    UNKNOWN = enum.auto()
    LEADING = enum.auto()
    STANDING_BY = enum.auto()
    UNREACHABLE = enum.auto()


class Leadership:
    """Runs the ticks only while this process holds `lock`, and takes over when it can.

    The lock's calls run in a worker thread: the PostgreSQL lock talks to the server, and
    the event loop must stay free for HTTP meanwhile. The callbacks run on the loop.
    """

    def __init__(self, lock: SchedulerLock) -> None:
        self.lock = lock
        self._state = _State.UNKNOWN
        self._error: str | None = None

    @property
    def leading(self) -> bool:
        return self._state is _State.LEADING

    def _standing_by_message(self) -> str:
        return STANDING_BY_SQLITE if isinstance(self.lock, SqliteFileLock) else STANDING_BY

    def _become(self, state: _State, retry_seconds: float, error: str | None = None) -> None:
        """Log a change of state, once; a retry that changes nothing stays silent."""
        if state is self._state and error == self._error:
            return
        self._state, self._error = state, error
        if state is _State.LEADING:
            log.info("%s", GAINED)
        elif state is _State.STANDING_BY:
            log.info("%s", self._standing_by_message())
        elif state is _State.UNREACHABLE:
            log.warning(UNREACHABLE, error, retry_seconds)

    async def _try_acquire(self, retry_seconds: float) -> bool:
        try:
            acquired = await asyncio.to_thread(self.lock.try_acquire)
        except Exception as error:  # an unreachable database: stand by and try again
            self._become(_State.UNREACHABLE, retry_seconds, type(error).__name__)
            return False
        self._become(_State.LEADING if acquired else _State.STANDING_BY, retry_seconds)
        return acquired

    async def _still_held(self) -> bool:
        try:
            return await asyncio.to_thread(self.lock.held)
        except Exception as error:
            log.warning("scheduler: checking the lock failed (%s)", type(error).__name__)
            return False

    async def run(
        self,
        on_gain: Callable[[], None],
        on_lose: Callable[[], None],
        stop: asyncio.Event,
        retry_seconds: float = 15,
    ) -> None:
        """Until `stop` is set: take the lock when free, call `on_gain` (start the ticks),
        check every `retry_seconds` that it is still ours, and call `on_lose` (stop the
        ticks) when it is not. Every `on_gain` is matched by one `on_lose`, at the latest
        when `stop` is set, before the lock is released.
        """
        ticking = False
        try:
            while not stop.is_set():
                if ticking:
                    if not await self._still_held():
                        ticking = False
                        on_lose()
                        log.warning("%s", LOST)
                        self._state = _State.UNKNOWN
                        continue  # try again at once: a lost session may have freed it
                elif await self._try_acquire(retry_seconds):
                    if stop.is_set():
                        break
                    ticking = True
                    on_gain()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), retry_seconds)
        finally:
            try:
                if ticking:
                    on_lose()
            finally:
                await asyncio.shield(asyncio.to_thread(self.lock.release))
                self._state = _State.UNKNOWN
