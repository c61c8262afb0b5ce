"""The CLI's composition root: settings, engine and the actor named in the audit log."""

import getpass
from dataclasses import dataclass

from sqlalchemy import Engine

from bot.settings import Settings
from storage.db import make_engine


@dataclass(frozen=True)
class CliContext:
    settings: Settings
    engine: Engine
    actor: str


def build_context(settings: Settings) -> CliContext:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.effective_database_url)
    try:
        login = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry, as in some containers
        login = "unknown"
    return CliContext(settings=settings, engine=engine, actor=settings.actor or f"cli:{login}")
