"""Which databases the specs run on: SQLite always, PostgreSQL when OUTREACH_TEST_POSTGRES_URL
names a server (CI always sets it)."""

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Connection

POSTGRES_ENV = "OUTREACH_TEST_POSTGRES_URL"
BACKENDS = ["sqlite", *(["postgresql"] if os.environ.get(POSTGRES_ENV) else [])]
if os.environ.get("CI") and "postgresql" not in BACKENDS:
    raise RuntimeError(f"CI must run the suite on PostgreSQL too: set {POSTGRES_ENV}")

# Tables a test may write: every table but the reference ones, which are reloaded rather
# than emptied (derived, so that a new table cannot leak rows from one spec to the next).
REFERENCE_TABLES = frozenset({"party", "regional_group", "language"})


def writable_tables() -> tuple[str, ...]:
    from sqlmodel import SQLModel

    import storage.db  # noqa: F401  (registers every table)

    return tuple(table.name for table in reversed(SQLModel.metadata.sorted_tables)
                 if table.name not in REFERENCE_TABLES)


WRITABLE_TABLES = writable_tables()


def reference_party_codes() -> tuple[str, ...]:
    """The parties the reference data ships: a spec may add others (`outreach orgs add`),
    which the next spec on the same PostgreSQL database must not find."""
    import csv
    from importlib import resources

    folder = resources.files("storage").joinpath("reference")
    codes: list[str] = []
    for filename, column in (("member_states.csv", "iso3"), ("organisations.csv", "acronym")):
        text = folder.joinpath(filename).read_text("utf-8")
        codes.extend(row[column] for row in csv.DictReader(text.splitlines()))
    return tuple(codes)


def empty_writable_tables(connection: "Connection") -> None:
    """Empty what the last spec wrote on PostgreSQL, ids starting again at 1.

    DELETE rather than TRUNCATE: a TRUNCATE gives each table new files on disk, which on 28
    mostly empty tables cost more than many a spec (0.12 s a spec, against 0.03 s now)."""
    sequences = connection.exec_driver_sql(
        "SELECT seq.relname FROM pg_class seq"
        " JOIN pg_depend dep ON dep.objid = seq.oid AND dep.deptype IN ('a', 'i')"
        " JOIN pg_class owner ON owner.oid = dep.refobjid"
        " WHERE seq.relkind = 'S' AND owner.relname = ANY(%(tables)s)",
        {"tables": list(WRITABLE_TABLES)}).scalars().all()
    connection.exec_driver_sql("; ".join(f'DELETE FROM "{table}"' for table in WRITABLE_TABLES))
    # setval, not ALTER SEQUENCE ... RESTART: the DDL costs 2 ms a sequence.
    connection.exec_driver_sql(
        "SELECT " + ", ".join(f"setval('\"{sequence}\"', 1, false)" for sequence in sequences))
