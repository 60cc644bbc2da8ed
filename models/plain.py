"""Plain read-only copies of database rows for the rules.

SQLAlchemy routes every attribute read of a mapped object through an instrumented descriptor; the
rules read about 150 attributes per claim, and those reads cost as much as the rules themselves.
A plain copy (same attribute names, same helper methods such as `covers` or `in_force`) is read at
Python speed. Copies are for reading: changes go to the mapped rows.
"""

from typing import Any, TypeVar, cast

from sqlalchemy import inspect, select
from sqlalchemy.sql import ColumnElement
from sqlmodel import Session, SQLModel

T = TypeVar("T", bound=SQLModel)
_MIRRORS: dict[type, type] = {}


def _mirror(cls: type[SQLModel]) -> type:
    """A plain class with the model's public methods and properties (built once per model)."""
    if cls not in _MIRRORS:
        fields = cls.model_fields
        members = {
            name: value
            for name, value in vars(cls).items()
            if not name.startswith("_") and (callable(value) or isinstance(value, property)) and name not in fields
        }
        _MIRRORS[cls] = type(f"Plain{cls.__name__}", (), members)
    return _MIRRORS[cls]


def plain(row: T, leave: frozenset[str] = frozenset()) -> T:
    """A plain copy of `row` with every column's value, except the (deferred) columns named in `leave`."""
    mirror = _mirror(type(row))
    copy: Any = object.__new__(mirror)
    loaded = row.__dict__  # SQLAlchemy keeps loaded column values in the instance dict: read at dict speed
    fields = type(row).model_fields
    # an expired column is read again as the row would (one read refreshes them all, into `loaded`);
    # a deferred one the caller left out costs no query
    for name in [name for name in fields if name not in loaded and name not in leave]:
        copy.__dict__[name] = getattr(row, name)
    copy.__dict__.update({name: loaded[name] for name in fields if name in loaded})
    return cast(T, copy)


class PlainCache:
    """Plain copies shared by every context of a batch (one copy per row)."""

    def __init__(self, leave: frozenset[str] = frozenset()) -> None:
        self._copies: dict[int, Any] = {}
        self._leave = leave

    def __call__(self, row: T) -> T:
        key = id(row)
        if key not in self._copies:
            self._copies[key] = plain(row, self._leave)
        return cast(T, self._copies[key])

    def all(self, rows: list[T]) -> list[T]:
        """Plain copies of a list of rows."""
        return [self(row) for row in rows]


def plain_rows(
    session: Session,
    model: type[T],
    *criteria: ColumnElement[bool],
    leave: frozenset[str] = frozenset(),
    order_by: tuple[Any, ...] = (),
) -> list[T]:
    """Plain copies straight from a Core select of the model's columns (no mapped object built at all),
    except the columns named in `leave`. The column types convert values as the ORM would."""
    attributes = [a for a in inspect(model).column_attrs if a.key not in leave]
    keys = [a.key for a in attributes]
    mirror = _mirror(model)
    found: list[Any] = []
    for values in session.connection().execute(
        select(*(a.columns[0] for a in attributes)).where(*criteria).order_by(*order_by)
    ):
        copy: Any = object.__new__(mirror)
        copy.__dict__.update(zip(keys, values, strict=True))
        found.append(copy)
    return cast(list[T], found)
