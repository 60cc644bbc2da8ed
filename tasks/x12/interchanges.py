"""Files as mailboxes deliver them: several interchanges one after another (ISA..IEA ISA..IEA),
each with its own delimiters, several groups per interchange and several sets per group.

`transaction_sets` splits a file into its transaction sets, each with the envelopes around it, so a
caller can read and apply them one by one; positions in error messages stay file-wide.
"""

from dataclasses import dataclass

from models.errors import X12ParseError
from tasks.x12.envelope import Group, Interchange, TransactionSet, read_interchange
from tasks.x12.segments import read_delimiters

_LAYOUT = "\ufeff\r\n \t"


@dataclass(frozen=True, slots=True)
class SetUnit:
    """One transaction set as it arrived: the interchange and group around it."""

    interchange: Interchange
    group: Group
    tset: TransactionSet

    @property
    def kind(self) -> str:
        """ST01: '835', '271', ..."""
        return self.tset.set_id

    def text(self) -> str:
        """This set alone as an interchange (its own ISA and GS; counts of one), e.g. to store it."""
        d = self.interchange.delimiters
        sep, end = d.element, d.segment + ("" if d.segment in "\r\n" else "\n")
        g, t = self.group, self.tset
        isa = sep.join(self.interchange.isa)
        gs = sep.join(["GS", g.functional_id, g.sender_id, g.receiver_id, g.date, g.time, g.control_number, "X"])
        st = sep.join(["ST", t.set_id, t.control_number, t.version])
        body = [sep.join(segment) for segment in t.segments]
        closing = [
            sep.join(["SE", str(len(t.segments) + 2), t.control_number]),
            sep.join(["GE", "1", g.control_number]),
            sep.join(["IEA", "1", self.interchange.control_number]),
        ]
        return end.join([isa, f"{gs}{sep}{g.version}", st, *body, *closing]) + end


def interchange_texts(text: str) -> list[str]:
    """The text of each ISA..IEA interchange of a file, in order.

    Whatever follows the last IEA without starting another ISA stays with that interchange, so
    reading it reports 'segments after IEA' where they are.
    """
    text = text.lstrip(_LAYOUT)
    pieces: list[str] = []
    start = 0
    while start < len(text):
        try:
            end = _interchange_end(text, start)
        except X12ParseError:
            end = len(text)  # a broken ISA: reading this piece reports it where it stands
        rest = end
        while rest < len(text) and text[rest] in _LAYOUT:
            rest += 1
        if rest < len(text) and not text.startswith("ISA", rest):
            end = rest = len(text)
        pieces.append(text[start:end])
        start = rest
    return pieces or [text]


def _interchange_end(text: str, start: int) -> int:
    """Where the interchange starting at `start` ends: after its IEA's terminator (or the end of text)."""
    d = read_delimiters(text[start : start + 200])
    marker = "IEA" + d.element
    at = text.find(marker, start)
    while at >= 0:
        before = at - 1
        while before > start and text[before] in "\r\n" and text[before] != d.segment:
            before -= 1
        if text[before] == d.segment:
            stop = text.find(d.segment, at)
            return len(text) if stop < 0 else stop + 1
        at = text.find(marker, at + 1)
    return len(text)


def read_interchanges(text: str, *, strict: bool = True) -> list[Interchange]:
    """Every interchange of a file, checked like `read_interchange`, positions counted over the file."""
    found: list[Interchange] = []
    offset = 0
    for piece in interchange_texts(text):
        interchange = read_interchange(piece, strict=strict, offset=offset)
        found.append(interchange)
        offset += interchange.segment_count
    return found


def transaction_sets(text: str, *, strict: bool = True) -> list[SetUnit]:
    """Every transaction set of a file (any kinds, any number of interchanges and groups), in order;
    not strict: with count and control-number problems left in each interchange's `problems`."""
    return [
        SetUnit(interchange, group, tset)
        for interchange in read_interchanges(text, strict=strict)
        for group in interchange.groups
        for tset in group.sets
    ]
