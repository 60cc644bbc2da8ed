"""Interchange, functional group and transaction set envelopes: written with computed counts and
paired control numbers, read back with every count and pairing checked."""

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import datetime

from models.errors import X12ParseError
from tasks.x12.segments import DEFAULT_DELIMITERS, Delimiters, SegmentWriter, join_segments, split_segments

Segment = list[str]
_ENVELOPE_TAGS = frozenset({"ISA", "GS", "ST", "SE", "GE", "IEA"})
ISA_VERSION, GROUP_VERSION = "00501", "005010"


def unsupported_version(version: str, segment: int) -> X12ParseError:
    """The one-line refusal of an X12 version groupbill does not read (4010, 6020, ...)."""
    shown = version if version.isalnum() and len(version) <= 12 else "in this file"
    return X12ParseError(f"X12 version {shown} is not supported (5010 only)", segment=segment)


@dataclass(frozen=True, slots=True)
class Header:
    """Who sends to whom, when, and the interchange control number (ISA13, 1..999999999)."""

    sender_id: str
    receiver_id: str
    control_number: int
    created: datetime
    usage: str = "T"  # T test, P production
    sender_qualifier: str = "ZZ"
    receiver_qualifier: str = "ZZ"


@dataclass(slots=True)
class TransactionSet:
    """One ST..SE: its ID, control number, version and the segments between ST and SE."""

    set_id: str
    control_number: str
    version: str
    segments: list[Segment]
    first_segment: int  # position of ST in the file, for error messages


@dataclass(slots=True)
class Group:
    """One GS..GE functional group."""

    functional_id: str
    control_number: str
    version: str
    sender_id: str
    receiver_id: str
    date: str
    time: str
    sets: list[TransactionSet] = field(default_factory=list)


@dataclass(slots=True)
class Interchange:
    """One ISA..IEA interchange, with the problems found in its envelopes."""

    delimiters: Delimiters
    isa: Segment
    groups: list[Group] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)
    offset: int = 0  # segments before this interchange in its file (positions stay file-wide)
    segment_count: int = 0
    ta1s: list[Segment] = field(default_factory=list)  # interchange acknowledgments, between ISA and the groups

    @property
    def control_number(self) -> str:
        """ISA13."""
        return self.isa[13]


def write_interchange(
    header: Header,
    functional_id: str,
    version: str,
    sets: list[tuple[str, list[str]]],
    delimiters: Delimiters = DEFAULT_DELIMITERS,
    *,
    version_in_st: bool = True,
) -> str:
    """X12 text for one interchange holding one group of transaction sets (ST ID, body segments).

    ST03 repeats the implementation guide version, except where the guide leaves it unused (835).
    """
    if not 1 <= header.control_number <= 999_999_999:
        raise ValueError(f"interchange control number {header.control_number} is out of range")
    w = SegmentWriter(delimiters)
    w.add(*_isa(header, delimiters))
    group = str(header.control_number)
    w.add(
        "GS",
        functional_id,
        header.sender_id,
        header.receiver_id,
        header.created.strftime("%Y%m%d"),
        header.created.strftime("%H%M"),
        group,
        "X",
        version,
    )
    for number, (set_id, body) in enumerate(sets, start=1):
        control = f"{number:04d}"
        w.add("ST", set_id, control, version if version_in_st else None)
        w.segments.extend(body)
        w.add("SE", str(len(body) + 2), control)
    w.add("GE", str(len(sets)), group)
    w.add("IEA", "1", f"{header.control_number:09d}")
    return join_segments(w.segments, delimiters)


def _isa(header: Header, d: Delimiters) -> list[str]:
    return [
        "ISA",
        "00",
        " " * 10,
        "00",
        " " * 10,
        header.sender_qualifier,
        header.sender_id.ljust(15)[:15],
        header.receiver_qualifier,
        header.receiver_id.ljust(15)[:15],
        header.created.strftime("%y%m%d"),
        header.created.strftime("%H%M"),
        d.repetition,
        "00501",
        f"{header.control_number:09d}",
        "0",
        header.usage,
        d.component,
    ]


def read_interchange(text: str, *, strict: bool = True, offset: int = 0) -> Interchange:
    """Split `text` into groups and sets, checking envelopes; strict: the first problem raises.

    `offset` counts the segments of the file before this interchange, so positions stay file-wide.
    An X12 version other than 5010 is refused at once: nothing else about the file can be judged.
    """
    try:
        delimiters, segments = split_segments(text)
    except X12ParseError as exc:
        raise X12ParseError(exc.reason, segment=(exc.segment or 1) + offset) from None
    interchange = Interchange(delimiters=delimiters, isa=segments[0], offset=offset, segment_count=len(segments))
    _Reader(interchange, segments).run()
    if strict and interchange.problems:
        number, reason = interchange.problems[0]
        raise X12ParseError(reason, segment=number)
    return interchange


class _Reader:
    def __init__(self, interchange: Interchange, segments: list[Segment]) -> None:
        self.ic, self.segments, self.i = interchange, segments, 1
        # Where envelope segments stand, found in one pass: sets are then sliced, not walked.
        self.envelope_at = [i for i, seg in enumerate(segments) if seg[0] in _ENVELOPE_TAGS]

    def problem(self, reason: str, at: int | None = None) -> None:
        self.ic.problems.append(((at if at is not None else self.i) + 1 + self.ic.offset, reason))

    def run(self) -> None:
        isa = self.ic.isa
        if len(isa) != 17:
            self.problem(f"ISA has {len(isa) - 1} elements, expected 16", 0)
        elif isa[12] != ISA_VERSION:
            raise unsupported_version(isa[12] + "0", self.ic.offset + 1)
        elif not (len(isa[13]) == 9 and isa[13].isdigit()):
            self.problem(f"ISA13 {isa[13]!r} is not a 9-digit control number", 0)
        while self.i < len(self.segments) and self.segments[self.i][0] == "TA1":
            self.ic.ta1s.append(self.segments[self.i])
            self.i += 1
        while self.i < len(self.segments) and self.segments[self.i][0] == "GS":
            self.group()
        if self.i >= len(self.segments):
            return self.problem("missing IEA (truncated?)", len(self.segments) - 1)
        iea = self.segments[self.i]
        if iea[0] != "IEA":
            return self.problem(f"unexpected {iea[0]} segment outside a functional group")
        if _el(iea, 1) != str(len(self.ic.groups)):
            self.problem(f"IEA01 says {_el(iea, 1)} groups, found {len(self.ic.groups)}")
        if _el(iea, 2) != self.ic.isa[13]:
            self.problem(f"IEA02 {_el(iea, 2)} does not match ISA13 {self.ic.isa[13]}")
        if self.i + 1 < len(self.segments):
            self.problem("segments after IEA", self.i + 1)

    def group(self) -> None:
        gs = self.segments[self.i]
        if not _el(gs, 8).startswith(GROUP_VERSION):
            raise unsupported_version(_el(gs, 8)[:6], self.ic.offset + self.i + 1)
        group = Group(_el(gs, 1), _el(gs, 6), _el(gs, 8), _el(gs, 2), _el(gs, 3), _el(gs, 4), _el(gs, 5))
        self.ic.groups.append(group)
        self.i += 1
        while self.i < len(self.segments) and self.segments[self.i][0] == "ST":
            self.transaction_set(group)
        if self.i >= len(self.segments) or self.segments[self.i][0] != "GE":
            found = self.segments[self.i][0] if self.i < len(self.segments) else "end of file"
            return self.problem(f"expected GE or ST, found {found}")
        ge = self.segments[self.i]
        if _el(ge, 1) != str(len(group.sets)):
            self.problem(f"GE01 says {_el(ge, 1)} transaction sets, found {len(group.sets)}")
        if _el(ge, 2) != group.control_number:
            self.problem(f"GE02 {_el(ge, 2)} does not match GS06 {group.control_number}")
        self.i += 1

    def _set_end(self, start: int) -> int:
        """Where the set that starts at `start` ends: its SE, or whatever envelope segment cuts it short."""
        after = bisect_right(self.envelope_at, start)
        return self.envelope_at[after] if after < len(self.envelope_at) else len(self.segments)

    def transaction_set(self, group: Group) -> None:
        st, start = self.segments[self.i], self.i
        end = self._set_end(start)
        body = self.segments[start + 1 : end]
        group.sets.append(
            TransactionSet(_el(st, 1), _el(st, 2), _el(st, 3) or group.version, body, start + 1 + self.ic.offset)
        )
        if end >= len(self.segments) or self.segments[end][0] != "SE":
            self.i = end
            return self.problem(f"transaction set {_el(st, 2)} has no SE", end - 1)
        se = self.segments[end]
        if _el(se, 1) != str(len(body) + 2):
            self.problem(f"SE01 says {_el(se, 1)} segments, counted {len(body) + 2}", end)
        if _el(se, 2) != _el(st, 2):
            self.problem(f"SE02 {_el(se, 2)} does not match ST02 {_el(st, 2)}", end)
        self.i = end + 1


def read_header(ic: Interchange) -> Header:
    """The envelope header of an interchange, from its ISA."""
    isa = ic.isa
    try:
        created = datetime.strptime(isa[9] + isa[10], "%y%m%d%H%M")
        control = int(isa[13])
    except ValueError:
        raise X12ParseError("ISA date, time or control number is malformed", segment=ic.offset + 1) from None
    return Header(isa[6].rstrip(), isa[8].rstrip(), control, created, isa[15], isa[5], isa[7])


def _el(segment: Segment, index: int) -> str:
    return segment[index] if index < len(segment) else ""
