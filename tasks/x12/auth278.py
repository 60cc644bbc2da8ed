"""X12 278 (005010X217) health care services review: the request we send for a (renewed) prior
authorization, and the payer's answer (HCR) read back. One review per transaction set.

Request: BHT*0007*13; HL 20 UMO (NM1*X3), HL 21 requester (NM1*1P), HL 22 subscriber (NM1*IL, DMG),
HL EV patient event (TRN, UM, DTP*472, HSD visits, NM1*SJ servicing provider), HL SS service (SV1).
Response: BHT*0007*11 and, in the event loop, HCR (action, certification number, reason),
DTP*AAH (certified dates) and HSD (approved visits). Written by hand: no maintained Python library
writes 278s, and pyx12 has no 5010 map for it.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from models.errors import X12ParseError
from tasks.x12.claim837_model import Person
from tasks.x12.cursor import Cursor
from tasks.x12.envelope import Header, read_header, read_interchange, write_interchange
from tasks.x12.segments import DEFAULT_DELIMITERS, Delimiters, SegmentWriter
from tasks.x12.values import d8, parse_d8, parse_int
from tasks.x12.values import element as el

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
    w.add("HL", "4", "3", "EV", "0")
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
    w.add("SV1", f"HC{delimiters.component}{review.procedure}", None, "UN", str(review.visits))
    return write_interchange(review.header, "HI", VERSION_278, [("278", w.segments)], delimiters)


def _decision(w: SegmentWriter, decision: Decision) -> None:
    w.add("HCR", decision.action, decision.certification_number, decision.reason)
    if decision.start and decision.end:
        w.add("DTP", "AAH", "RD8", f"{d8(decision.start)}-{d8(decision.end)}")
    if decision.approved is not None:
        w.add("HSD", "VS", str(decision.approved))


def read_278(text: str) -> Review:
    """The one review in a 278 interchange (request or response)."""
    interchange = read_interchange(text)
    sets = [t for g in interchange.groups for t in g.sets]
    if len(sets) != 1 or sets[0].set_id != "278":
        raise X12ParseError(
            f"expected one 278 transaction set, found {', '.join(t.set_id for t in sets) or 'none'}", segment=1
        )
    header = read_header(interchange)
    return Cursor(sets[0], interchange.delimiters).run(lambda cur: _review(cur, header))


def _review(cur: Cursor, header: Header) -> Review:
    bht = cur.need("BHT")
    cur.need("HL")
    payer = cur.need("NM1", ("X3",))
    cur.skip_to(("HL",))
    cur.need("HL")
    requester = cur.need("NM1", ("1P",))
    cur.skip_to(("HL",))
    cur.need("HL")
    member = cur.need("NM1", ("IL",))
    dmg = cur.take("DMG")
    cur.skip_to(("HL",))
    cur.need("HL")
    trn = cur.need("TRN")
    um = cur.need("UM")
    decision = _read_decision(cur)
    start, end = _range(el(cur.need("DTP", ("472",)), 3))
    visits = parse_int(el(cur.need("HSD", ("VS",)), 2), "HSD02")
    cur.skip_to(("NM1", "SV1"))
    provider = cur.take("NM1", ("SJ",))
    cur.skip_to(("SV1",))
    procedure = cur.components(el(cur.need("SV1"), 1))
    person = Person(
        el(member, 3),
        el(member, 4),
        parse_d8(el(dmg, 2), "DMG02") if dmg else None,
        el(dmg, 3) or None if dmg else None,
    )
    return Review(
        header,
        el(bht, 3),
        el(payer, 3),
        el(payer, 9),
        el(requester, 3),
        el(requester, 9),
        person,
        el(member, 9),
        el(trn, 2),
        el(um, 2),
        el(um, 3),
        cur.components(el(um, 4))[0],
        procedure[-1],
        start,
        end,
        visits,
        el(provider, 9) or None if provider else None,
        decision,
    )


def _read_decision(cur: Cursor) -> Decision | None:
    hcr = cur.take("HCR")
    if hcr is None:
        return None
    if el(hcr, 1) not in ACTIONS:
        raise X12ParseError(f"HCR01 {el(hcr, 1)!r} is not a review action code")
    dates = cur.take("DTP", ("AAH",))
    start, end = _range(el(dates, 3)) if dates else (None, None)
    approved = cur.take("HSD", ("VS",))
    return Decision(
        el(hcr, 1),
        el(hcr, 2) or None,
        el(hcr, 3) or None,
        start,
        end,
        parse_int(el(approved, 2), "HSD02") if approved else None,
    )


def _range(text: str) -> tuple[date, date]:
    first, _, last = text.partition("-")
    return parse_d8(first, "DTP03"), parse_d8(last or first, "DTP03")
