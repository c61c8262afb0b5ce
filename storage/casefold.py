"""Case-insensitive matching in SQL that knows more letters than A to Z, on both backends.

SQLite's built-in lower() folds ASCII only, so "SÉMINAIRE" would not match "séminaire";
PostgreSQL's lower() follows the database's UTF-8 locale. `unicode_lower(x)` is lower(x) on
PostgreSQL and, on SQLite, the function of the same name that storage.db.make_engine
registers on every connection (Python's str.lower, as PostgreSQL lowers).
"""

from typing import Any

from sqlalchemy import String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

SQLITE_FUNCTION = "unicode_lower"


class unicode_lower(FunctionElement[str]):  # lower case: it reads as SQL, like func.lower
    type = String()
    inherit_cache = True


@compiles(unicode_lower)
def _lower(element: unicode_lower, compiler: SQLCompiler, **kw: Any) -> str:
    return f"lower({compiler.process(element.clauses, **kw)})"


@compiles(unicode_lower, "sqlite")
def _sqlite_lower(element: unicode_lower, compiler: SQLCompiler, **kw: Any) -> str:
    return f"{SQLITE_FUNCTION}({compiler.process(element.clauses, **kw)})"


def _python_lower(value: object) -> str | None:
    return None if value is None else str(value).lower()


def register_sqlite_functions(dbapi_connection: Any) -> None:
    """Give a new SQLite connection unicode_lower()."""
    dbapi_connection.create_function(SQLITE_FUNCTION, 1, _python_lower, deterministic=True)
