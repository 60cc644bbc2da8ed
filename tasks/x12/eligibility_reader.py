"""Read 271 responses (and 270 inquiries, which the sandbox payer answers)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from models.errors import X12ParseError
from tasks.x12.claim837_model import Payer, Person
from tasks.x12.cursor import Cursor
from tasks.x12.eligibility_model import (
    Benefit,
    EligibilityResponse,
    InformationReceiver,
    Inquiry,
    InquiryBatch,
    RequestError,
    ResponseBatch,
)
from tasks.x12.envelope import Interchange, TransactionSet, read_header, read_interchange
from tasks.x12.values import element as el
from tasks.x12.values import parse_amount, parse_d8

_LOOP_AT_2100 = {"20": "2100A", "21": "2100B", "22": "2100C", "23": "2100D"}


def read_271(text: str) -> ResponseBatch:
    """Every answer in a 271 interchange."""
    interchange, tset = _single_set(text, "271")
    return Cursor(tset, interchange.delimiters).run(lambda cur: _response_batch(cur, interchange))


def read_270(text: str) -> InquiryBatch:
    """Every question in a 270 interchange."""
    interchange, tset = _single_set(text, "270")
    return Cursor(tset, interchange.delimiters).run(lambda cur: _inquiry_batch(cur, interchange))


def _single_set(text: str, set_id: str) -> tuple[Interchange, TransactionSet]:
    interchange = read_interchange(text)
    sets = [t for g in interchange.groups for t in g.sets]
    if len(sets) != 1 or sets[0].set_id != set_id:
        found = ", ".join(t.set_id for t in sets) or "none"
        raise X12ParseError(f"expected one {set_id} transaction set, found {found}", segment=1)
    return interchange, sets[0]


def _source_and_receiver(cur: Cursor) -> tuple[Payer, list[RequestError], InformationReceiver]:
    cur.need("HL")
    payer = cur.need("NM1", ("PR",))
    errors = _errors(cur, "2100A")
    cur.need("HL")
    provider = cur.need("NM1", ("1P",))
    errors += _errors(cur, "2100B")
    cur.skip_to(("HL",))
    return Payer(el(payer, 3), el(payer, 9)), errors, InformationReceiver(el(provider, 3), el(provider, 9))


def _errors(cur: Cursor, loop: str) -> list[RequestError]:
    errors = []
    while aaa := cur.take("AAA"):
        errors.append(RequestError(el(aaa, 3), el(aaa, 4), loop))
    return errors


def _response_batch(cur: Cursor, ic: Interchange) -> ResponseBatch:
    reference = el(cur.need("BHT"), 3)
    payer, errors, receiver = _source_and_receiver(cur)
    responses = []
    while cur.take("HL"):
        trace = el(cur.take("TRN") or [], 2)
        member = _member(cur, "IL", "2100C")
        dependent = None
        if cur.at("HL") and el(cur.segments[cur.i], 3) == "23":
            cur.need("HL")
            cur.take("TRN")
            dependent = _member(cur, "03", "2100D")
        answer = dependent or member
        responses.append(
            EligibilityResponse(
                trace,
                member.member_id,
                member.person,
                dependent.person if dependent else None,
                answer.plan_begin,
                answer.plan_end,
                answer.benefits,
                member.errors + (dependent.errors if dependent else ()),
            )
        )
    return ResponseBatch(read_header(ic), reference, payer, receiver, tuple(responses), tuple(errors))


@dataclass(frozen=True, slots=True)
class _Member:
    person: Person
    member_id: str | None
    plan_begin: date | None
    plan_end: date | None
    benefits: tuple[Benefit, ...]
    errors: tuple[RequestError, ...]


def _member(cur: Cursor, entity: str, loop: str) -> _Member:
    """NM1, AAA, DMG, plan dates and benefits of one subscriber or dependent."""
    nm1 = cur.need("NM1", (entity,))
    errors = _errors(cur, loop)
    cur.skip_to(("DMG", "DTP", "EB", "HL"))
    person = _demographics(cur, nm1)
    begin, end = _plan_dates(cur)
    benefits = []
    while cur.at("EB"):
        benefits.append(_benefit(cur))
    cur.skip_to(("HL",))
    return _Member(person, el(nm1, 9) or None, begin, end, tuple(benefits), tuple(errors))


def _plan_dates(cur: Cursor) -> tuple[date | None, date | None]:
    begin = end = None
    while dtp := cur.take("DTP"):
        qualifier, fmt, value = el(dtp, 1), el(dtp, 2), el(dtp, 3)
        if fmt == "RD8" and qualifier in ("291", "346", "307"):
            start_text, _, end_text = value.partition("-")
            begin, end = parse_d8(start_text, "DTP03"), parse_d8(end_text, "DTP03")
        elif qualifier in ("346", "356"):
            begin = parse_d8(value, "DTP03")
        elif qualifier in ("347", "357"):
            end = parse_d8(value, "DTP03")
    return begin, end


def _benefit(cur: Cursor) -> Benefit:
    eb = cur.need("EB")
    messages, entity = [], None
    while not cur.done() and not cur.at("EB") and not cur.at("HL"):
        seg = cur.segments[cur.i]
        cur.i += 1
        if seg[0] == "MSG":
            messages.append(el(seg, 1))
        elif seg[0] == "NM1" and entity is None:
            entity = el(seg, 3)
    return Benefit(
        code=el(eb, 1),
        coverage_level=el(eb, 2) or None,
        service_types=tuple(t for t in el(eb, 3).split(cur.repetition) if t),
        insurance_type=el(eb, 4) or None,
        plan_name=el(eb, 5) or None,
        time_period=el(eb, 6) or None,
        amount=_decimal(el(eb, 7), "EB07"),
        percent=_decimal(el(eb, 8), "EB08"),
        quantity_qualifier=el(eb, 9) or None,
        quantity=_decimal(el(eb, 10), "EB10"),
        auth_required=el(eb, 11) or None,
        in_network=el(eb, 12) or None,
        messages=tuple(messages),
        entity_name=entity,
    )


def _decimal(text: str, what: str) -> Decimal | None:
    return parse_amount(text, what) if text else None


def _demographics(cur: Cursor, nm1: list[str]) -> Person:
    dmg = cur.take("DMG") or []
    birth = parse_d8(el(dmg, 2), "DMG02") if dmg else None
    return Person(el(nm1, 3), el(nm1, 4), birth, el(dmg, 3) or None)


def _inquiry_batch(cur: Cursor, ic: Interchange) -> InquiryBatch:
    reference = el(cur.need("BHT"), 3)
    payer, _, receiver = _source_and_receiver(cur)
    inquiries, originator = [], ""
    while cur.take("HL"):
        trn = cur.need("TRN")
        originator = el(trn, 3)
        nm1 = cur.need("NM1", ("IL",))
        subscriber, dependent = _demographics(cur, nm1), None
        if cur.at("HL"):
            cur.need("HL")
            cur.take("TRN")
            dependent = _demographics(cur, cur.need("NM1", ("03",)))
        dtp, eq = cur.need("DTP", ("291",)), cur.need("EQ")
        inquiries.append(
            Inquiry(el(trn, 2), el(nm1, 9) or None, subscriber, parse_d8(el(dtp, 3), "DTP03"), el(eq, 1), dependent)
        )
    return InquiryBatch(read_header(ic), reference, payer, receiver, originator, tuple(inquiries))
