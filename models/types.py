"""Column types that keep money exact and timestamps UTC-aware on every database."""

from datetime import UTC, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import BigInteger, DateTime, Dialect, String
from sqlalchemy import Enum as SAEnum
from sqlalchemy.types import TypeDecorator

CENT = Decimal("0.01")


def db_id(value: int | None) -> int:
    """The primary key of a row that has been flushed (a missing one is a programming error)."""
    if value is None:
        raise RuntimeError("row has no primary key yet: flush before using its id")
    return value


def to_money(value: Decimal | int | str) -> Decimal:
    """A Decimal with exactly two places; refuses values that would lose a fraction of a cent."""
    amount = Decimal(value)
    if amount != amount.quantize(CENT):
        raise ValueError(f"money amount {value!r} has more than two decimal places")
    return amount.quantize(CENT)


def cents(value: Decimal) -> int:
    """A money amount as whole cents (for counts, which are integers)."""
    return int(to_money(value) * 100)


class Money(TypeDecorator[Decimal]):
    """Money as Decimal in Python, stored as whole cents so no database rounds it."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> int | None:
        if value is None:
            return None
        return int(to_money(value) * 100)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return (Decimal(int(value)) / 100).quantize(CENT)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that must be timezone-aware going in and is UTC-aware coming out."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime) or value.tzinfo is None:
            raise ValueError(f"timestamp {value!r} must be timezone-aware")
        utc = value.astimezone(UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        stored: datetime = value
        return stored.replace(tzinfo=UTC) if stored.tzinfo is None else stored.astimezone(UTC)


def enum_type(enum_cls: type[Enum]) -> SAEnum:
    """A portable enum column: stores the member's value as text, no database enum type."""
    longest = max(len(str(member.value)) for member in enum_cls)
    return SAEnum(
        enum_cls,
        native_enum=False,
        create_constraint=False,
        length=max(longest, 16),
        values_callable=lambda members: [str(m.value) for m in members],
        validate_strings=True,
    )


def code_type(length: int = 32) -> String:
    """A short code column (CPT, status codes, IDs from other systems)."""
    return String(length)
