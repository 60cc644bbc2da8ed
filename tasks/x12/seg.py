"""One segment with its place in the file, its elements read as X12 types.

Every problem with an element is an X12ParseError naming the segment's position and the element
(`SVC01`, `DTP03`, ...); values are never echoed (a date may be a birth date, an ID a member ID).
"""

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import TypeVar

from models.errors import X12ParseError
from tasks.x12.segments import Delimiters
from tasks.x12.values import Period, parse_amount, parse_d8, parse_int, parse_period

T = TypeVar("T")
_NAMES: dict[tuple[str, int], str] = {}
_PERIODS: dict[tuple[str, str], Period] = {}


class Seg:
    """A segment (its elements, ID first), its position in the file and the file's delimiters."""

    __slots__ = ("elements", "position", "delimiters")

    def __init__(self, elements: list[str], position: int, delimiters: Delimiters) -> None:
        self.elements, self.position, self.delimiters = elements, position, delimiters

    def __repr__(self) -> str:
        return f"Seg({self.tag} at {self.position})"

    @property
    def tag(self) -> str:
        """The segment ID."""
        return self.elements[0]

    def name(self, index: int) -> str:
        """The element's reference, e.g. 'CLP03'."""
        key = (self.elements[0], index)
        found = _NAMES.get(key)
        if found is None:
            found = f"{key[0]}{index:02d}"
            if len(_NAMES) < 10_000:
                _NAMES[key] = found
        return found

    def error(self, reason: str) -> X12ParseError:
        """A parse error located at this segment."""
        return X12ParseError(reason, segment=self.position)

    def __getitem__(self, index: int) -> str:
        """Element `index` ('' when the segment is shorter)."""
        try:
            return self.elements[index]
        except IndexError:
            return ""

    def opt(self, index: int) -> str | None:
        """Element `index`, or None when empty."""
        return self[index] or None

    def need(self, index: int) -> str:
        """Element `index`, which must not be empty."""
        value = self[index]
        if not value:
            raise self.error(f"{self.name(index)} is missing")
        return value

    def components(self, index: int) -> list[str]:
        """The components of a composite element ([''] when empty)."""
        return self[index].split(self.delimiters.component)

    def repeats(self, index: int) -> list[str]:
        """The non-empty repetitions of a repeating element."""
        return [value for value in self[index].split(self.delimiters.repetition) if value]

    def decimal(self, index: int) -> Decimal | None:
        """An R-type amount or quantity, or None when empty."""
        value = self[index]
        return self._located(parse_amount, value, self.name(index)) if value else None

    def need_decimal(self, index: int) -> Decimal:
        """An R-type amount or quantity that must be present."""
        return self._located(parse_amount, self.need(index), self.name(index))

    def integer(self, index: int) -> int:
        """A whole number that must be present."""
        return self._located(parse_int, self.need(index), self.name(index))

    def date(self, index: int) -> date:
        """A CCYYMMDD date that must be present."""
        return self._located(parse_d8, self.need(index), self.name(index))

    def period(self, format_index: int, value_index: int) -> Period:
        """A date or range read by its format qualifier (D8, RD8, DT, ...), e.g. DTP02/DTP03."""
        key = (self[format_index] or "D8", self[value_index])
        found = _PERIODS.get(key)  # a file repeats its dates of service thousands of times
        if found is None:
            found = self._located(parse_period, key[0], self.need(value_index), self.name(value_index))
            if len(_PERIODS) < 50_000:
                _PERIODS[key] = found
        return found

    def _located(self, parse: Callable[..., T], *args: str) -> T:
        try:
            return parse(*args)
        except X12ParseError as exc:
            raise self.error(exc.reason) from None
