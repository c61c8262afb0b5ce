"""Many rows into a table in few round trips, on SQLite and PostgreSQL alike.

SQLite is in the process: one `executemany` costs little per row. PostgreSQL's client does
not: its `executemany` sends a statement per row (pipelined), and a multi-row INSERT has
its long text parsed again by the driver every time; that was the larger part of a PoC
import's time on PostgreSQL. There, rows go in with one COPY per table and chunk, and the
ids of new rows are taken from the table's sequence first, in one query.
"""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Table, insert, text


def insert_rows(connection: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert `rows` (each with the same keys) into `table`, in the session's transaction."""
    if not rows:
        return
    if connection.dialect.name == "postgresql":
        _copy(connection, table, rows)
    else:
        connection.execute(insert(table), list(rows))


def insert_with_ids(connection: Connection, table: Table, rows: Sequence[dict[str, Any]]
                    ) -> list[int]:
    """Insert `rows` into `table` (its primary key `id` left to the database); their new
    ids, in the rows' order."""
    if not rows:
        return []
    if connection.dialect.name == "postgresql":
        ids = [int(value) for value in connection.execute(
            text("SELECT nextval(pg_get_serial_sequence(:table, 'id'))"
                 " FROM generate_series(1, :count)"),
            {"table": table.name, "count": len(rows)}).scalars()]
        _copy(connection, table, [{"id": new_id, **row} for new_id, row in zip(
            ids, rows, strict=True)])
        return ids
    # SQLite: SQLAlchemy returns ids in the rows' order only by inserting one row a
    # statement. A row inserted without an id gets one more than the largest so far, so
    # the ascending ids are the rows' order; should they not follow one another (SQLite
    # picks at random past the largest possible id), refuse rather than guess.
    ids = sorted(connection.execute(insert(table).returning(table.c.id), list(rows)).scalars())
    if ids != list(range(ids[0], ids[0] + len(rows))):
        raise RuntimeError(f"SQLite gave the new rows of {table.name} ids out of sequence")
    return ids


def _copy(connection: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    from psycopg import sql

    columns = list(rows[0])
    converters = [_converter(table, name, connection) for name in columns]
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table.name), sql.SQL(", ").join(map(sql.Identifier, columns)))
    driver = connection.connection.driver_connection
    assert driver is not None
    with driver.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([convert(row[name]) for name, convert in zip(
                columns, converters, strict=True)])


def _converter(table: Table, name: str, connection: Connection) -> Any:
    """What SQLAlchemy does to a value of this column before the driver sees it."""
    dialect = connection.dialect
    process = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
    return process if process is not None else (lambda value: value)
