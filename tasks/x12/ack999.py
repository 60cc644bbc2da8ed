"""999 implementation acknowledgment (005010X231A1): model, writer and reader.

A 999 says whether each transaction set of a file passed the receiver's syntax and
implementation-guide checks; a rejected set never reached the payer.
"""

from dataclasses import dataclass
from typing import Any

from models.errors import X12ParseError
from tasks.x12.cursor import Cursor
from tasks.x12.envelope import Header, read_header, read_interchange, write_interchange
from tasks.x12.segments import DEFAULT_DELIMITERS, Delimiters, SegmentWriter
from tasks.x12.values import element as el
from tasks.x12.values import parse_int

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
    """Every group and set verdict in a 999 interchange."""
    interchange = read_interchange(text)
    groups = []
    for group in interchange.groups:
        for tset in group.sets:
            if tset.set_id != "999":
                raise X12ParseError(f"transaction set {tset.set_id} is not a 999", segment=tset.first_segment)
            groups.append(Cursor(tset, interchange.delimiters).run(_group))
    if not groups:
        raise X12ParseError("no 999 transaction set", segment=1)
    return Ack999(read_header(interchange), tuple(groups))


def _group(cur: Cursor) -> GroupAck:
    ak1 = cur.need("AK1")
    sets = []
    while ak2 := cur.take("AK2"):
        errors = []
        while ik3 := cur.take("IK3"):
            cur.skip_to(("IK4", "IK3", "IK5"))
            element_errors = []
            while ik4 := cur.take("IK4"):
                element_errors.append(
                    ElementError(
                        parse_int(el(ik4, 1).split(cur.component)[0], "IK401"),
                        el(ik4, 3),
                        el(ik4, 2) or None,
                        el(ik4, 4) or None,
                    )
                )
                cur.skip_to(("IK4", "IK3", "IK5"))
            errors.append(
                SegmentError(
                    el(ik3, 1), parse_int(el(ik3, 2), "IK302"), el(ik3, 3) or None, el(ik3, 4), tuple(element_errors)
                )
            )
        ik5 = cur.need("IK5")
        sets.append(
            SetAck(
                el(ak2, 1), el(ak2, 2), el(ik5, 1), el(ak2, 3) or None, tuple(x for x in ik5[2:] if x), tuple(errors)
            )
        )
    ak9 = cur.need("AK9")
    return GroupAck(el(ak1, 1), el(ak1, 2), el(ak9, 1), el(ak1, 3) or None, tuple(sets))
