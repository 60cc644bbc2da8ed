"""The TA1 interchange acknowledgment: the clearinghouse's word on an interchange's envelope, before any
999. TA104 `A` accepted, `E` accepted with errors, `R` rejected (the whole interchange was refused);
TA105 says why, by a note code of the X12 control standard (the table below, in words)."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from models.errors import X12ParseError
from tasks.x12.envelope import Header, _isa, read_header
from tasks.x12.interchanges import read_interchanges
from tasks.x12.segments import DEFAULT_DELIMITERS, SegmentWriter, join_segments

NOTES = {
    "000": "no error",
    "001": "interchange control numbers in the header and trailer do not match",
    "002": "this standard (ISA11) is not supported",
    "003": "this version of the controls is not supported",
    "004": "the segment terminator is invalid",
    "005": "invalid interchange ID qualifier for the sender",
    "006": "invalid interchange sender ID",
    "007": "invalid interchange ID qualifier for the receiver",
    "008": "invalid interchange receiver ID",
    "009": "unknown interchange receiver ID",
    "010": "invalid authorization information qualifier",
    "011": "invalid authorization information",
    "012": "invalid security information qualifier",
    "013": "invalid security information",
    "014": "invalid interchange date",
    "015": "invalid interchange time",
    "016": "invalid interchange standards identifier",
    "017": "invalid interchange version ID",
    "018": "invalid interchange control number",
    "019": "invalid acknowledgment requested value",
    "020": "invalid test indicator (ISA15 T/P does not match the mailbox)",
    "021": "invalid number of included groups",
    "022": "invalid control structure",
    "023": "improper (premature) end of file",
    "024": "invalid interchange content (e.g. an invalid GS segment)",
    "025": "duplicate interchange control number",
    "026": "invalid data element separator",
    "027": "invalid component element separator",
    "028": "invalid delivery date in a deferred delivery request",
    "029": "invalid delivery time in a deferred delivery request",
    "030": "invalid delivery time code in a deferred delivery request",
    "031": "invalid grade of service code",
}
CODES = frozenset({"A", "E", "R"})


@dataclass(frozen=True, slots=True)
class InterchangeAck:
    """One TA1: which interchange (ISA13 and its date and time), accepted or not, and the note code."""

    control_number: str
    interchange_date: str  # YYMMDD, as the acknowledged ISA09
    interchange_time: str  # HHMM, as ISA10
    code: str
    note: str

    @property
    def note_in_words(self) -> str:
        """TA105 as a person reads it, e.g. '008 invalid interchange receiver ID'."""
        return f"{self.note} {NOTES.get(self.note, 'note code not in the X12 control standard')}"


@dataclass(frozen=True, slots=True)
class Ta1:
    """An interchange that carries TA1s (and usually nothing else)."""

    header: Header
    acks: tuple[InterchangeAck, ...]

    def as_json(self) -> dict[str, Any]:
        """The public JSON of `groupbill x12 parse`."""
        return {
            "transaction": "TA1",
            "acks": [
                {
                    "control_number": a.control_number,
                    "date": a.interchange_date,
                    "time": a.interchange_time,
                    "code": a.code,
                    "note": a.note,
                    "note_in_words": a.note_in_words,
                }
                for a in self.acks
            ],
        }


def write_ta1(ta1: Ta1) -> str:
    """X12 text of an interchange holding only TA1 segments (IEA01 counts no groups)."""
    w = SegmentWriter(DEFAULT_DELIMITERS)
    w.add(*_isa(ta1.header, DEFAULT_DELIMITERS))
    for ack in ta1.acks:
        w.add("TA1", ack.control_number, ack.interchange_date, ack.interchange_time, ack.code, ack.note)
    w.add("IEA", "0", f"{ta1.header.control_number:09d}")
    return join_segments(w.segments, DEFAULT_DELIMITERS)


def read_ta1(text: str) -> Ta1:
    """The TA1s of a file (every interchange's); a file without any, or a malformed TA1, is a parse error."""
    interchanges = read_interchanges(text)
    acks = []
    for interchange in interchanges:
        for number, segment in enumerate(interchange.ta1s, start=interchange.offset + 2):
            acks.append(_ack(segment, number))
    if not acks:
        raise X12ParseError("no TA1 segment (not an interchange acknowledgment)", segment=1)
    return Ta1(read_header(interchanges[0]), tuple(acks))


def _ack(segment: list[str], number: int) -> InterchangeAck:
    values = (segment + [""] * 6)[1:6]
    control, day, time, code, note = values
    if not (len(control) == 9 and control.isdigit()):
        raise X12ParseError(f"TA101 {control[:12]!r} is not a 9-digit interchange control number", segment=number)
    if code not in CODES:
        raise X12ParseError(f"TA104 {code[:4]!r} is not A, E or R", segment=number)
    if not (len(note) == 3 and note.isdigit()):
        raise X12ParseError(f"TA105 {note[:6]!r} is not a 3-digit note code", segment=number)
    try:
        datetime.strptime(day + time, "%y%m%d%H%M")
    except ValueError:
        raise X12ParseError("TA102/TA103 is not a date and time (YYMMDD, HHMM)", segment=number) from None
    return InterchangeAck(control, day, time, code, note)
