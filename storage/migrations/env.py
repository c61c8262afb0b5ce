"""Alembic environment: run migrations on the engine storage.db.migrate() hands over."""

from alembic import context
from sqlalchemy import Engine, text
from sqlmodel import SQLModel

import storage.db  # noqa: F401  (registers every table on SQLModel.metadata)

MIGRATION_LOCK_KEY = 1540_2004_0001  # any constant of ours; the scheduler lock uses another

engine = context.config.attributes.get("engine")
if not isinstance(engine, Engine):
    raise RuntimeError("run migrations through `outreach init`, which passes the engine")

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            # Two processes starting at once: the second waits here, then finds nothing to do.
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                               {"key": MIGRATION_LOCK_KEY})
        context.run_migrations()
    connection.commit()
