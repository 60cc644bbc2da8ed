"""Where a test's billing database lives: a SQLite file of its own, or, when GROUPBILL_TEST_POSTGRES_URL
names a PostgreSQL server (an admin URL, e.g. postgresql+psycopg://groupbill:groupbill@127.0.0.1/postgres),
a database of its own created for the test and dropped after it."""

import os
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError, ProgrammingError

POSTGRES = os.environ.get("GROUPBILL_TEST_POSTGRES_URL")


@contextmanager
def fresh_database(tmp_path: Path, name: str = "billing") -> Iterator[str]:
    """A URL of an empty database for one test (dropped afterwards on PostgreSQL)."""
    if not POSTGRES:
        yield f"sqlite:///{tmp_path / f'{name}.db'}"
        return
    database = f"gbt_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{database}"'))
    try:
        yield make_url(POSTGRES).set(database=database).render_as_string(hide_password=False)
    finally:
        _dispose_engines_for(database)
        try:
            _drop(admin, database)
        finally:
            admin.dispose()


def _drop(admin: Engine, database: str) -> None:
    """Drop a test database, ending sessions still on it; a moment's wait and again if one (autovacuum
    without pg_signal_backend) cannot be ended yet."""
    for wait in (0.5, 1, 2, 4, 0):
        try:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
            return
        except (OperationalError, ProgrammingError):
            if not wait:
                raise
            time.sleep(wait)


def _dispose_engines_for(_database: str) -> None:
    """Close the pooled connections groupbill's cached engines hold (the database is about to go)."""
    from tasks.runtime import dispose_engines

    dispose_engines()


def every_row(engine: Engine) -> list[str]:
    """Every row of every table, in key order: the same on SQLite and PostgreSQL (to compare before and after)."""
    from sqlmodel import SQLModel

    with engine.connect() as conn:
        return [
            f"{table.name}: {tuple(row)}"
            for table in SQLModel.metadata.sorted_tables
            for row in conn.execute(table.select().order_by(*table.primary_key.columns))
        ]
