"""X12 278 (005010X217) health care services review: the request we send for a (renewed) prior
authorization, and the payer's answer (HCR) read back. One review per transaction set.

Request: BHT*0007*13; HL 20 UMO (NM1*X3), HL 21 requester (NM1*1P), HL 22 subscriber (NM1*IL, DMG),
HL EV patient event (TRN, UM, DTP*472, HSD visits, NM1*SJ servicing provider), HL SS service (UM, SV1).
Response: BHT*0007*11 and, in the event loop, HCR (action, certification number, reason),
DTP*AAH (certified dates) and HSD (approved visits); payers that decide per service put them in the
service level instead, and the reader looks there too. Written by hand: no maintained Python library
writes 278s, and pyx12 has no 5010 map for it.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from models.errors import X12ParseError
from tasks.x12.claim837_model import Person
from tasks.x12.envelope import Header, read_header, write_interchange
from tasks.x12.guides.x217 import REVIEW_278
from tasks.x12.interchanges import SetUnit, transaction_sets
from tasks.x12.loops import Loop, fit
from tasks.x12.seg import Seg
from tasks.x12.segments import DEFAULT_DELIMITERS, Delimiters, SegmentWriter
from tasks.x12.values import d8

VERSION_278 = "005010X217"
ACTIONS = {
    "A1": "certified in total",
    "A2": "certified, partial",
    "A3": "not certified",
    "A4": "pended",
    "A6": "modified",
    "C": "cancelled",
    "CT": "contact the payer",
    "NA": "no action required",
}
CERTIFIED = frozenset({"A1", "A2", "A6"})


@dataclass(frozen=True, slots=True)
class Decision:
    """The payer's answer: HCR action, certification number, reason, certified dates and visits."""

    action: str
    certification_number: str | None = None
    reason: str | None = None
    start: date | None = None
    end: date | None = None
    approved: int | None = None


@dataclass(frozen=True, slots=True)
class Review:
    """One services review: who asks whom, for which member, what service, how many visits, when."""

    header: Header
    reference: str
    payer_name: str
    payer_id: str
    requester_name: str
    requester_npi: str
    subscriber: Person
    member_id: str
    trace_number: str
    certification_type: str  # I initial, R renewal, S revised
    service_type: str
    place_of_service: str
    procedure: str
    start: date
    end: date
    visits: int
    provider_npi: str | None = None
    decision: Decision | None = None

    def as_json(self) -> dict[str, Any]:
        """The JSON shape of a review (request or response)."""
        decided = self.decision
        return {
            "payer_id": self.payer_id,
            "requester_npi": self.requester_npi,
            "member_id": self.member_id,
            "trace_number": self.trace_number,
            "certification_type": self.certification_type,
            "procedure": self.procedure,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "visits": self.visits,
            "decision": None
            if decided is None
            else {
                "action": decided.action,
                "meaning": ACTIONS[decided.action],
                "certification_number": decided.certification_number,
                "reason": decided.reason,
                "start": decided.start.isoformat() if decided.start else None,
                "end": decided.end.isoformat() if decided.end else None,
                "approved": decided.approved,
            },
        }


def write_278(review: Review, delimiters: Delimiters = DEFAULT_DELIMITERS) -> str:
    """The request (no decision) or the payer's response (with one)."""
    w = SegmentWriter(delimiters)
    w.add(
        "BHT",
        "0007",
        "11" if review.decision else "13",
        review.reference,
        d8(review.header.created.date()),
        review.header.created.strftime("%H%M"),
    )
    w.add("HL", "1", None, "20", "1")
    w.add("NM1", "X3", "2", review.payer_name, None, None, None, None, "PI", review.payer_id)
    w.add("HL", "2", "1", "21", "1")
    w.add("NM1", "1P", "2", review.requester_name, None, None, None, None, "XX", review.requester_npi)
    w.add("HL", "3", "2", "22", "1")
    person = review.subscriber
    w.add("NM1", "IL", "1", person.last_name, person.first_name, None, None, None, "MI", review.member_id)
    if person.birth_date:
        w.add("DMG", "D8", d8(person.birth_date), person.sex)
    w.add("HL", "4", "3", "EV", "1")
    w.add("TRN", "2" if review.decision else "1", review.trace_number, "9GROUPBILL")
    w.add(
        "UM", "HS", review.certification_type, review.service_type, f"{review.place_of_service}{delimiters.component}B"
    )
    if review.decision:
        _decision(w, review.decision)
    w.add("DTP", "472", "RD8", f"{d8(review.start)}-{d8(review.end)}")
    w.add("HSD", "VS", str(review.visits))
    if review.provider_npi:
        w.add("NM1", "SJ", "1", None, None, None, None, None, "XX", review.provider_npi)
    w.add("HL", "5", "4", "SS", "0")
    w.add("UM", "HS", review.certification_type)
    w.add("SV1", f"HC{delimiters.component}{review.procedure}", None, "UN", str(review.visits))
    return write_interchange(review.header, "HI", VERSION_278, [("278", w.segments)], delimiters)


def _decision(w: SegmentWriter, decision: Decision) -> None:
    w.add("HCR", decision.action, decision.certification_number, decision.reason)
    if decision.start and decision.end:
        w.add("DTP", "AAH", "RD8", f"{d8(decision.start)}-{d8(decision.end)}")
    if decision.approved is not None:
        w.add("HSD", "VS", str(decision.approved))


def read_278(text: str) -> Review:
    """The one review in a 278 file (see `read_278s` for a file holding several)."""
    reviews = read_278s(text)
    if len(reviews) != 1:
        raise X12ParseError(f"expected one 278 transaction set, found {len(reviews)}", segment=1)
    return reviews[0]


def read_278s(text: str) -> list[Review]:
    """Every review in a file of 278s (several sets or interchanges), in order."""
    units = transaction_sets(text)
    for unit in units:
        if unit.kind != "278":
            raise X12ParseError(f"transaction set {unit.kind} is not a 278", segment=unit.tset.first_segment)
    return [read_278_set(unit) for unit in units]


def read_278_set(unit: SetUnit) -> Review:
    """The review of one 278 transaction set (request or response)."""
    root = fit(unit.tset, REVIEW_278, unit.interchange.delimiters)
    umo = root.need_loop("2000A")
    requester = umo.need_loop("2000B")
    subscriber = requester.need_loop("2000C")
    member = subscriber.need_loop("2010C")
    event = subscriber.loop("2000E") or _dependent_event(subscriber)
    payer, asker = umo.need_loop("2010A").opening, requester.need_loop("2010B").opening
    return _review(read_header(unit.interchange), root.need("BHT")[3], (payer, asker), member, event)


def _review(header: Header, reference: str, parties: tuple[Seg, Seg], member: Loop, event: Loop) -> Review:
    """The review of a patient event: what was asked (event level first) and what was decided."""
    services = event.loops("2000F")
    trn, um = event.need("TRN"), event.need("UM")
    asked = _first(event, services, "DTP", "472")
    if asked is None:
        raise um.error("the patient event has no DTP*472 service dates")
    decided_at = next((level for level in (event, *services) if level.first("HCR")), None)
    requested, approved = _visits(event, services, decided_at)
    start, end = _range(asked)
    payer, asker = parties
    return Review(
        header,
        reference,
        payer[3],
        payer[9],
        asker[3],
        asker[9],
        _person(member),
        member.opening[9],
        trn[2],
        um[2],
        um[3],
        um.components(4)[0],
        _procedure(event, services),
        start,
        end,
        requested.integer(2),
        _provider(event, services),
        _read_decision(decided_at, approved) if decided_at else None,
    )


def _dependent_event(subscriber: Loop) -> Loop:
    dependent = subscriber.loop("2000D")
    if dependent is None:
        raise subscriber.opening.error("the subscriber level has no patient event (HL EV)")
    return dependent.need_loop("2000E")


def _first(event: Loop, services: list[Loop], tag: str, code: str) -> Seg | None:
    """The event level's segment, else the first service level's (payers put them in either)."""
    return event.first(tag, code) or next((s for level in services if (s := level.first(tag, code))), None)


def _person(member: Loop) -> Person:
    nm1, dmg = member.opening, member.first("DMG")
    birth = dmg.period(1, 2).start if dmg and dmg[2] else None
    return Person(nm1[3], nm1[4], birth, dmg.opt(3) if dmg else None)


def _procedure(event: Loop, services: list[Loop]) -> str:
    sv1 = next((s for level in services if (s := level.first("SV1"))), None)
    if sv1 is None:
        raise event.opening.error("the review names no service (SV1)")
    return sv1.components(1)[-1]


def _provider(event: Loop, services: list[Loop]) -> str | None:
    found = [loop.opening for loop in event.loops("2010EA") if loop.opening[1] == "SJ"]
    found += [loop.opening for level in services for loop in level.loops("2010F") if loop.opening[1] == "SJ"]
    return found[0].opt(9) if found else None


def _visits(event: Loop, services: list[Loop], decided_at: Loop | None) -> tuple[Seg, Seg | None]:
    """(requested, approved) HSD*VS. The level with the decision gives the approved visits first and,
    when it also repeats the request (as our sandbox payer does), the requested ones last."""
    found = [*event.each("HSD", "VS"), *(hsd for level in services for hsd in level.each("HSD", "VS"))]
    if not found:
        raise event.opening.error("the patient event has no HSD*VS visits")
    at_decision = list(decided_at.each("HSD", "VS")) if decided_at else []
    requested = at_decision[-1] if len(at_decision) > 1 else found[0]
    return requested, at_decision[0] if at_decision else None


def _read_decision(level: Loop, approved: Seg | None) -> Decision:
    """HCR with its certified dates (DTP*AAH) and approved visits."""
    hcr = level.need("HCR")
    if hcr[1] not in ACTIONS:
        raise hcr.error(f"HCR01 {hcr[1][:3]!r} is not a review action code")
    dates = level.first("DTP", "AAH")
    start, end = _range(dates) if dates else (None, None)
    return Decision(hcr[1], hcr.opt(2), hcr.opt(3), start, end, approved.integer(2) if approved else None)


def _range(dtp: Seg) -> tuple[date, date]:
    period = dtp.period(2, 3)
    return period.start, period.end or period.start
