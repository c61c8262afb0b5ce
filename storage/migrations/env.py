"""Alembic environment: run migrations on the engine storage.db.migrate() hands over."""

from alembic import context
from sqlalchemy import Engine
from sqlmodel import SQLModel

import storage.db  # noqa: F401  (registers every table on SQLModel.metadata)

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
        context.run_migrations()
    connection.commit()
