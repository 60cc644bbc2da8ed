"""Delimiters, splitting X12 text into segments, and writing segments back.

An interchange declares its own delimiters in the fixed-width ISA segment: the element separator
is the 4th character, the repetition separator is ISA11, the component separator is ISA16 and the
segment terminator is the character after it. Line breaks after terminators are tolerated.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from models.errors import X12ParseError

ISA_LENGTH = 106  # 'ISA' + 16 fixed-width elements + separators + segment terminator
Element = str | Sequence[str]  # a plain element, or a composite's components


@dataclass(frozen=True, slots=True)
class Delimiters:
    """The four separators of an interchange."""

    element: str = "*"
    component: str = ":"
    repetition: str = "^"
    segment: str = "~"


DEFAULT_DELIMITERS = Delimiters()


def read_delimiters(text: str) -> Delimiters:
    """The delimiters declared by the ISA at the start of `text`."""
    if not text:
        raise X12ParseError("empty input", segment=1)
    if "\x00" in text[:4096]:
        raise X12ParseError("binary data, not X12 text", segment=1)
    if not text.startswith("ISA"):
        raise X12ParseError("does not start with an ISA segment", segment=1)
    if len(text) < ISA_LENGTH:
        raise X12ParseError(f"ISA is truncated ({len(text)} of {ISA_LENGTH} characters)", segment=1)
    element, component, terminator = text[3], text[104], text[105]
    if element.isalnum() or element.isspace():
        raise X12ParseError(f"bad element separator {element!r} in ISA", segment=1)
    fields = text[:105].split(element)
    if len(fields) != 17:
        raise X12ParseError(f"ISA has {len(fields) - 1} elements, expected 16 (wrong delimiters?)", segment=1)
    repetition = fields[11]
    if len({element, component, terminator}) != 3 or component.isalnum() or terminator.isalnum():
        raise X12ParseError("ISA separators are not distinct punctuation", segment=1)
    return Delimiters(element, component, repetition if len(repetition) == 1 else "^", terminator)


def split_segments(text: str) -> tuple[Delimiters, list[list[str]]]:
    """The delimiters and every segment of `text`, each as its list of elements.

    Line breaks are layout, not data (X12 character sets exclude them), so they are dropped
    unless a line break is itself the segment terminator.
    """
    text = text.lstrip("\ufeff\r\n ")
    d = read_delimiters(text)
    if d.segment not in "\r\n":
        text = text.replace("\r", "").replace("\n", "")
    raw = text.split(d.segment)
    if raw[-1].strip():
        raise X12ParseError("last segment has no terminator (truncated?)", segment=len(raw))
    while raw and not raw[-1].strip():
        raw.pop()
    segments = [chunk.split(d.element) for chunk in raw]
    if not all(tag.isalnum() and tag.isascii() and 2 <= len(tag) <= 3 for tag in {seg[0] for seg in segments}):
        _raise_first_bad_id(segments)
    return d, segments


def _raise_first_bad_id(segments: list[list[str]]) -> None:
    for number, seg in enumerate(segments, start=1):
        tag = seg[0].strip("\r\n")
        if not tag:
            raise X12ParseError("empty segment", segment=number)
        if not (tag.isalnum() and tag.isascii() and 2 <= len(tag) <= 3):
            raise X12ParseError(f"bad segment ID {tag[:10]!r}", segment=number)


class SegmentWriter:
    """Builds X12 text one segment at a time; trailing empty elements and components are dropped."""

    __slots__ = ("_d", "segments")

    def __init__(self, delimiters: Delimiters = DEFAULT_DELIMITERS) -> None:
        self._d = delimiters
        self.segments: list[str] = []

    def add(self, segment_id: str, *elements: Element | None) -> None:
        """Append one segment (None is an empty element; a sequence is a composite)."""
        sep, comp = self._d.element, self._d.component
        values = [v if v.__class__ is str else ("" if v is None else comp.join(v).rstrip(comp)) for v in elements]
        # Separators are never data, so trailing empty elements are exactly the trailing separators.
        self.segments.append(sep.join([segment_id, *values]).rstrip(sep))

    def repeat(self, values: Iterable[str]) -> str:
        """Several values in one element, joined by the repetition separator."""
        return self._d.repetition.join(values)

    def extend(self, other: "SegmentWriter") -> None:
        """Append every segment another writer built."""
        self.segments.extend(other.segments)

    def __len__(self) -> int:
        return len(self.segments)


def join_segments(segments: Iterable[str], delimiters: Delimiters = DEFAULT_DELIMITERS) -> str:
    """Segments as X12 text, one per line."""
    end = delimiters.segment + ("" if delimiters.segment in "\r\n" else "\n")
    return end.join(segments) + end
