"""Database engine and sessions; the schema comes from the SQLModel tables."""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, Table, event, text
from sqlalchemy.engine import make_url
from sqlmodel import Session, SQLModel, create_engine

# Import every table module so SQLModel.metadata knows the whole schema.
from models import claims, exchange, ops, patients, practice, sessions  # noqa: F401
from models.errors import InfrastructureError
from models.private import private_sqlite


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """An engine for `url`; for SQLite, an owner-only file in an owner-only folder (it holds patient data),
    foreign keys and WAL on."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, echo=echo, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:":
        _private_database_file(Path(parsed.database))
    engine = create_engine(url, echo=echo, connect_args={"check_same_thread": False, "timeout": 30})
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _private_database_file(path: Path) -> None:
    """The SQLite file, owner-only in an owner-only folder, or one line saying why it cannot be made."""
    try:
        private_sqlite(path)
    except OSError as exc:
        raise InfrastructureError(
            f"database folder {path.parent}: cannot create it: {exc.strerror} (check GROUPBILL_DATABASE_URL)"
        ) from None


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def create_schema(engine: Engine) -> None:
    """Create every table that does not exist yet."""
    SQLModel.metadata.create_all(engine)


def lock_billing(session: Session) -> None:
    """Serialize the steps that create and move claims across processes and workers, until this
    transaction ends: row locks on the practices (PostgreSQL), the database's write lock (SQLite).

    Two overlapping runs then take turns per step instead of racing: the second sees what the first
    committed (claims drafted, scrubbed, batched, reports applied) and does only what is left.
    """
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("UPDATE practice SET name = name"))  # a write takes SQLite's one write lock now
    else:
        session.execute(text("SELECT id FROM practice ORDER BY id FOR UPDATE"))


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits when the block succeeds and rolls back when it raises."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


T = TypeVar("T")
IN_CHUNK = 5_000  # ids per IN list: a night's 100,000 in one statement cost memory for nothing


def in_chunks(items: Sequence[T], size: int | None = None) -> Iterator[Sequence[T]]:
    """`items` in slices of at most `size` (IN_CHUNK unless given), for IN lists and batches."""
    size = size or IN_CHUNK
    for start in range(0, len(items), size):
        yield items[start : start + size]


def insert_rows(session: Session, model: type[SQLModel], rows: list[dict[str, Any]]) -> None:
    """A plain multi-row insert through Core: about half the cost of the ORM's bulk insert per row.

    Pending mapped objects are flushed first, as the ORM would, so the rows may refer to them."""
    if rows:
        session.flush()
        session.connection().execute(_table(model).insert(), rows)


def insert_returning_ids(session: Session, model: type[SQLModel], rows: list[dict[str, Any]]) -> list[int]:
    """`insert_rows`, and the new rows' IDs in the order of `rows`."""
    if not rows:
        return []
    session.flush()
    table = _table(model)
    statement = table.insert().returning(table.c.id, sort_by_parameter_order=True)
    return [int(row[0]) for row in session.connection().execute(statement, rows)]


def _table(model: type[SQLModel]) -> Table:
    return model.__table__  # type: ignore[attr-defined, no-any-return]
