"""A cursor over the segments of one transaction set, for readers written loop by loop."""

from collections.abc import Callable, Collection
from typing import TypeVar

from models.errors import X12ParseError
from tasks.x12.envelope import Segment, TransactionSet
from tasks.x12.segments import Delimiters
from tasks.x12.values import element

T = TypeVar("T")


class Cursor:
    """Reads segments in order; `at`/`take` look ahead, `need` insists, errors carry the position."""

    __slots__ = ("segments", "i", "first", "component", "repetition")

    def __init__(self, tset: TransactionSet, delimiters: Delimiters) -> None:
        self.segments, self.i, self.first = tset.segments, 0, tset.first_segment
        self.component, self.repetition = delimiters.component, delimiters.repetition

    def components(self, value: str) -> list[str]:
        """The components of a composite element."""
        return value.split(self.component)

    @property
    def position(self) -> int:
        """The segment number (in the whole file) of the next segment."""
        return self.first + 1 + self.i

    def at(self, tag: str, qualifiers: Collection[str] | None = None) -> bool:
        """True when the next segment is `tag` (with its first element in `qualifiers`, if given)."""
        if self.i >= len(self.segments):
            return False
        seg = self.segments[self.i]
        return seg[0] == tag and (qualifiers is None or element(seg, 1) in qualifiers)

    def take(self, tag: str, qualifiers: Collection[str] | None = None) -> Segment | None:
        """The next segment if it is `tag` (consumed), else None."""
        if self.at(tag, qualifiers):
            self.i += 1
            return self.segments[self.i - 1]
        return None

    def need(self, tag: str, qualifiers: Collection[str] | None = None) -> Segment:
        """The next segment, which must be `tag`."""
        seg = self.take(tag, qualifiers)
        if seg is None:
            wanted = tag + (f"*{'/'.join(sorted(qualifiers))}" if qualifiers else "")
            found = self.segments[self.i][0] if self.i < len(self.segments) else "end of transaction set"
            raise X12ParseError(f"expected {wanted}, found {found}", segment=self.position)
        return seg

    def skip_to(self, tags: Collection[str]) -> None:
        """Pass over segments this reader does not use, up to the next one in `tags`."""
        while self.i < len(self.segments) and self.segments[self.i][0] not in tags:
            self.i += 1

    def done(self) -> bool:
        """True when every segment was read."""
        return self.i >= len(self.segments)

    def run(self, read: Callable[["Cursor"], T]) -> T:
        """Call `read(self)`, giving any error without a position the current one."""
        try:
            return read(self)
        except X12ParseError as exc:
            if exc.segment is None:
                raise X12ParseError(exc.reason, segment=self.position) from None
            raise
        except (IndexError, ValueError) as exc:
            raise X12ParseError(f"malformed segment ({exc})", segment=self.position) from None
