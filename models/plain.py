"""Plain copies of database rows, for code that reads thousands of rows in a batch.

SQLAlchemy routes every attribute read of a mapped object through an instrumented descriptor, and
builds an identity-mapped object per row; the scrubber's rules read about 150 attributes per claim,
and at a night's scale those costs were most of scrubbing, assembly and posting. A plain copy (same
attribute names, same helper methods such as `covers` or `in_force`) is built straight from a Core
row and read at Python speed. Nothing tracks it: code that changes one writes the change itself.
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
