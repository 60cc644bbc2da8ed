"""How X12 writes and reads amounts, dates and codes (the 'R', 'DT' and 'N0' data types)."""

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from models.errors import X12ParseError

MEDICAID_FILING = frozenset({"MC"})  # SBR09 claim filing indicator codes
MEDICARE_FILING = frozenset({"MA", "MB"})


def amount(value: Decimal) -> str:
    """An R-type amount: no exponent, no trailing zeros after the point ('75', '31.4', '0.2')."""
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


_R_CHARACTERS = frozenset("0123456789.-")
R_MAX_DIGITS = 18  # the longest R-type element of the 5010 guides (amounts, quantities)


def parse_amount(text: str, what: str = "amount") -> Decimal:
    """An R-type amount as Decimal: digits, at most one point, an optional leading minus (X12 has no
    exponents, no plus sign, at most 18 digits); anything else is a parse error."""
    digits = len(text) - text.count(".") - text.startswith("-")
    if not text or not _R_CHARACTERS.issuperset(text) or digits > R_MAX_DIGITS:
        raise X12ParseError(f"{what} {text[:20]!r} is not a number")
    try:
        return Decimal(text)
    except InvalidOperation:
        raise X12ParseError(f"{what} {text[:20]!r} is not a number") from None


def money(text: str, what: str = "amount") -> Decimal:
    """An amount read as money: two decimal places."""
    return parse_amount(text, what).quantize(Decimal("0.01"))


@lru_cache(maxsize=8192)
def d8(value: date) -> str:
    """A CCYYMMDD date (remembered: a batch repeats the same few dates)."""
    return f"{value.year:04d}{value.month:02d}{value.day:02d}"


def parse_d8(text: str, what: str = "date") -> date:
    """A CCYYMMDD date; a malformed one is a parse error."""
    # The value is left out of the message: a date in X12 may be a birth date, and parse errors
    # travel (clearinghouse answers, task states) to places patient data must not reach.
    if len(text) != 8 or not text.isdigit():
        raise X12ParseError(f"{what} is not a CCYYMMDD date ({len(text)} characters)")
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        raise X12ParseError(f"{what} is not a real calendar date") from None


@dataclass(frozen=True, slots=True)
class Period:
    """A date, or a range of dates (`end` is None for a single date)."""

    start: date
    end: date | None = None


def parse_period(qualifier: str, text: str, what: str = "date") -> Period:
    """A date or a range read by its format qualifier: D8 CCYYMMDD, RD8 CCYYMMDD-CCYYMMDD,
    DT CCYYMMDDHHMM[SS], RDT CCYYMMDDHHMM-CCYYMMDDHHMM (times are dropped)."""
    if qualifier in ("D8", "DT"):
        return Period(_date_part(qualifier, text, what))
    if qualifier in ("RD8", "RDT"):
        first, dash, last = text.partition("-")
        if not dash:
            raise X12ParseError(f"{what} is not a {qualifier} range (no '-' between its dates)")
        part = "D8" if qualifier == "RD8" else "DT"
        start, end = _date_part(part, first, what), _date_part(part, last, what)
        if end < start:
            raise X12ParseError(f"{what} range ends before it starts")
        return Period(start, end)
    shown = qualifier[:4] if qualifier.isalnum() else "?"
    raise X12ParseError(f"{what} has date format {shown!r}, not one of D8, RD8, DT, RDT")


def _date_part(qualifier: str, text: str, what: str) -> date:
    if qualifier == "DT":
        if len(text) not in (12, 14) or not text.isdigit():
            raise X12ParseError(f"{what} is not a CCYYMMDDHHMM date and time ({len(text)} characters)")
        return parse_d8(text[:8], what)
    return parse_d8(text, what)


def parse_int(text: str, what: str) -> int:
    """A whole number (units, counts, pointers)."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise X12ParseError(f"{what} {text!r} is not a number") from None
    if value != value.to_integral_value():
        raise X12ParseError(f"{what} {text!r} is not a whole number")
    return int(value)


_RESERVED = re.compile(r"[*:^~|\r\n]+")


def x12_text(value: str | None, limit: int = 60) -> str:
    """Free text made safe for X12: upper case, no delimiter characters, single spaces, bounded."""
    return " ".join(_RESERVED.sub(" ", value or "").upper().split())[:limit]


def no_dot(code: str) -> str:
    """An ICD-10-CM code as X12 carries it: without the decimal point."""
    return code.replace(".", "")


def element(segment: list[str], index: int) -> str:
    """Element `index` of a segment, or '' when the segment is shorter."""
    return segment[index] if index < len(segment) else ""


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a reader builds many small acyclic objects.

    Parsing creates hundreds of thousands of lists and strings and no reference cycles; letting
    the collector run over them doubles the time to read a large file. It is restored afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
