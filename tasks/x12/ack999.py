"""999 implementation acknowledgment (005010X231A1): model, writer and reader.

A 999 says whether each transaction set of a file passed the receiver's syntax and
implementation-guide checks; a rejected set never reached the payer.
"""

from dataclasses import dataclass
from typing import Any

from models.errors import X12ParseError
from tasks.x12.envelope import Header, read_header, write_interchange
from tasks.x12.guides.x231a1 import ACK_999
from tasks.x12.interchanges import SetUnit, transaction_sets
from tasks.x12.loops import Loop, fit
from tasks.x12.seg import Seg
from tasks.x12.segments import DEFAULT_DELIMITERS, Delimiters, SegmentWriter

VERSION_999 = "005010X231A1"


@dataclass(frozen=True, slots=True)
class ElementError:
    """IK4: an element in error (position in the segment, X12 element number, error code, bad value)."""

    position: int
    code: str
    reference: str | None = None
    value: str | None = None


@dataclass(frozen=True, slots=True)
class SegmentError:
    """IK3: a segment in error (ID, position in the set, loop, error code) and its IK4s."""

    segment: str
    position: int
    loop: str | None
    code: str
    element_errors: tuple[ElementError, ...] = ()


@dataclass(frozen=True, slots=True)
class SetAck:
    """AK2..IK5: the verdict on one transaction set (A, E, R, ...)."""

    set_id: str
    set_control_number: str
    status: str
    version: str | None = None
    codes: tuple[str, ...] = ()
    errors: tuple[SegmentError, ...] = ()


@dataclass(frozen=True, slots=True)
class GroupAck:
    """AK1..AK9: the verdict on one functional group."""

    functional_id: str
    group_control_number: str
    status: str
    version: str | None = None
    sets: tuple[SetAck, ...] = ()

    @property
    def accepted_count(self) -> int:
        """Sets accepted (with or without errors)."""
        return sum(s.status in ("A", "E") for s in self.sets)


@dataclass(frozen=True, slots=True)
class Ack999:
    """A 999 interchange."""

    header: Header
    groups: tuple[GroupAck, ...]

    def as_json(self) -> dict[str, Any]:
        """The public JSON contract of a parsed 999."""
        return {
            "transaction": "999",
            "groups": [
                {
                    "group_control_number": g.group_control_number,
                    "status": g.status,
                    "sets": [
                        {
                            "set_control_number": s.set_control_number,
                            "status": s.status,
                            "errors": [
                                {
                                    "segment": e.segment,
                                    "position": e.position,
                                    "loop": e.loop,
                                    "code": e.code,
                                    "element_errors": [
                                        {"position": x.position, "code": x.code} for x in e.element_errors
                                    ],
                                }
                                for e in s.errors
                            ],
                        }
                        for s in g.sets
                    ],
                }
                for g in self.groups
            ],
        }


def write_999(ack: Ack999, delimiters: Delimiters = DEFAULT_DELIMITERS) -> str:
    """One 999 transaction set per acknowledged group."""
    sets = [("999", _group_body(group, delimiters)) for group in ack.groups]
    return write_interchange(ack.header, "FA", VERSION_999, sets, delimiters)


def _group_body(group: GroupAck, d: Delimiters) -> list[str]:
    w = SegmentWriter(d)
    w.add("AK1", group.functional_id, group.group_control_number, group.version)
    for s in group.sets:
        w.add("AK2", s.set_id, s.set_control_number, s.version)
        for e in s.errors:
            w.add("IK3", e.segment, str(e.position), e.loop, e.code)
            for x in e.element_errors:
                w.add("IK4", str(x.position), x.reference, x.code, x.value)
        w.add("IK5", s.status, *s.codes)
    count = str(len(group.sets))
    w.add("AK9", group.status, count, count, str(group.accepted_count))
    return w.segments


def read_999(text: str) -> Ack999:
    """Every group and set verdict in a file of 999s (several sets or interchanges: all of them)."""
    units = transaction_sets(text)
    groups = []
    for unit in units:
        if unit.kind != "999":
            raise X12ParseError(f"transaction set {unit.kind} is not a 999", segment=unit.tset.first_segment)
        groups.append(read_999_set(unit))
    if not groups:
        raise X12ParseError("no 999 transaction set", segment=1)
    return Ack999(read_header(units[0].interchange), tuple(groups))


def read_999_set(unit: SetUnit) -> GroupAck:
    """The verdict of one 999 transaction set on one functional group."""
    root = fit(unit.tset, ACK_999, unit.interchange.delimiters)
    ak1, ak9 = root.need("AK1"), root.need("AK9")
    return GroupAck(ak1[1], ak1[2], ak9[1], ak1.opt(3), tuple(_set_ack(loop) for loop in root.loops("2000")))


def _set_ack(loop: Loop) -> SetAck:
    ak2, ik5 = loop.opening, loop.need("IK5")
    errors = tuple(_segment_error(error) for error in loop.loops("2100"))
    return SetAck(ak2[1], ak2[2], ik5[1], ak2.opt(3), tuple(x for x in ik5.elements[2:] if x), errors)


def _segment_error(loop: Loop) -> SegmentError:
    ik3 = loop.opening
    elements = tuple(_element_error(note.opening) for note in loop.loops("2110"))
    return SegmentError(ik3[1], ik3.integer(2), ik3.opt(3), ik3[4], elements)


def _element_error(ik4: Seg) -> ElementError:
    """IK4: IK401 is the element's position, or position:component:repetition."""
    position = ik4.components(1)[0]
    if not position.isdigit():
        raise ik4.error("IK401 is not an element position")
    return ElementError(int(position), ik4[3], ik4.opt(2), ik4.opt(4))
