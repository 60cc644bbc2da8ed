"""Read 271 responses (and 270 inquiries, which the sandbox payer answers), loop by loop (X279A1).

A subscriber level (2000C) answers for the subscriber; each dependent level (2000D) under it
answers for that dependent, whose own eligibility and benefits are in 2100D/2110D.
"""

from collections.abc import Iterator
from datetime import date

from models.errors import X12ParseError
from tasks.x12.claim837_model import Payer, Person
from tasks.x12.eligibility_model import (
    Benefit,
    EligibilityResponse,
    InformationReceiver,
    Inquiry,
    InquiryBatch,
    RequestError,
    ResponseBatch,
)
from tasks.x12.envelope import read_header
from tasks.x12.guides.x279a1 import INQUIRY_270, RESPONSE_271
from tasks.x12.interchanges import SetUnit, transaction_sets
from tasks.x12.loops import Loop, fit
from tasks.x12.seg import Seg

_PLAN_BEGIN, _PLAN_END, _PLAN_RANGE = ("346", "356"), ("347", "357"), ("291", "307", "346", "356", "292")


def read_271(text: str) -> ResponseBatch:
    """Every answer in a file of 271s (several sets or interchanges: their answers in order)."""
    batches = [read_271_set(unit) for unit in _units(text, "271")]
    first = batches[0]
    responses = tuple(r for b in batches for r in b.responses)
    errors = tuple(e for b in batches for e in b.errors)
    return ResponseBatch(first.header, first.reference, first.payer, first.receiver, responses, errors)


def read_270(text: str) -> InquiryBatch:
    """Every question in a file of 270s (several sets or interchanges: their inquiries in order)."""
    batches = [read_270_set(unit) for unit in _units(text, "270")]
    first = batches[0]
    inquiries = tuple(i for b in batches for i in b.inquiries)
    return InquiryBatch(first.header, first.reference, first.payer, first.receiver, first.originator, inquiries)


def _units(text: str, kind: str) -> list[SetUnit]:
    units = transaction_sets(text)
    for unit in units:
        if unit.kind != kind:
            raise X12ParseError(f"transaction set {unit.kind} is not a {kind}", segment=unit.tset.first_segment)
    if not units:
        raise X12ParseError(f"no {kind} transaction set", segment=1)
    return units


def read_271_set(unit: SetUnit) -> ResponseBatch:
    """The answers of one 271 transaction set."""
    root = fit(unit.tset, RESPONSE_271, unit.interchange.delimiters)
    source = root.need_loop("2000A")
    payer_name = source.need_loop("2100A")
    receiver = source.need_loop("2000B")
    errors = [*_errors(source, "2000A"), *_errors(payer_name, "2100A")]
    responses: list[EligibilityResponse] = []
    for provider in receiver.loops("2100B"):
        errors += _errors(provider, "2100B")
    for subscriber in receiver.loops("2000C"):
        responses += _responses(subscriber)
    return ResponseBatch(
        read_header(unit.interchange),
        root.need("BHT")[3],
        _payer(payer_name),
        _receiver(receiver),
        tuple(responses),
        tuple(errors),
    )


def _payer(loop: Loop) -> Payer:
    nm1 = loop.opening
    return Payer(nm1[3], nm1[9])


def _receiver(level: Loop) -> InformationReceiver:
    nm1 = level.need_loop("2100B").opening
    return InformationReceiver(nm1[3], nm1[9])


def _errors(loop: Loop, name: str) -> list[RequestError]:
    return [RequestError(aaa[3], aaa[4], name) for aaa in loop.each("AAA")]


def _responses(level: Loop) -> Iterator[EligibilityResponse]:
    """The subscriber's answer, or one answer per dependent when the inquiry was about dependents."""
    name = level.need_loop("2100C")
    dependents = level.loops("2000D")
    if not dependents:
        yield EligibilityResponse(
            _trace(level),
            name.opening.opt(9),
            _person(name),
            None,
            *_plan_dates(name),
            _benefits(name, "2110C"),
            tuple(_member_errors(name, "C")),
        )
    for dependent in dependents:
        yield _dependent_response(level, name, dependent)


def _dependent_response(level: Loop, name: Loop, dependent: Loop) -> EligibilityResponse:
    """A dependent's answer: their own benefits (2110D), dates (else the plan's) and errors."""
    patient = dependent.need_loop("2100D")
    begin, end = _plan_dates(patient)
    if begin is None and end is None:
        begin, end = _plan_dates(name)  # plan dates given once, for the subscriber's plan
    return EligibilityResponse(
        _trace(dependent) or _trace(level),
        name.opening.opt(9),
        _person(name),
        _person(patient),
        begin,
        end,
        _benefits(patient, "2110D"),
        (*_member_errors(name, "C"), *_member_errors(patient, "D")),
        relationship=_relationship(patient),
        subscriber_benefits=_benefits(name, "2110C"),
    )


def _trace(level: Loop) -> str:
    """Our trace number echoed back (TRN*2), else the first trace number of the level."""
    trn = level.first("TRN", "2") or level.first("TRN")
    return trn[2] if trn else ""


def _member_errors(name: Loop, level: str) -> list[RequestError]:
    """AAA of the person's name loop: the payer could not answer for them (an AAA inside a benefit
    loop refuses one asked service type only, and the benefits still answer)."""
    return _errors(name, f"2100{level}")


def _relationship(name: Loop) -> str | None:
    ins = name.first("INS")
    return ins.opt(2) if ins else None


def _person(name: Loop) -> Person:
    nm1, dmg = name.opening, name.first("DMG")
    birth = dmg.period(1, 2).start if dmg and dmg[2] else None
    return Person(nm1[3], nm1[4], birth, dmg.opt(3) if dmg else None)


def _plan_dates(name: Loop) -> tuple[date | None, date | None]:
    begin = end = None
    for dtp in name.each("DTP"):
        qualifier = dtp[1]
        if qualifier not in (*_PLAN_BEGIN, *_PLAN_END, *_PLAN_RANGE):
            continue
        period = dtp.period(2, 3)
        if period.end is not None and qualifier in _PLAN_RANGE:
            begin, end = period.start, period.end
        elif qualifier in _PLAN_BEGIN:
            begin = period.start
        elif qualifier in _PLAN_END:
            end = period.end or period.start
    return begin, end


def _benefits(name: Loop, loop_name: str) -> tuple[Benefit, ...]:
    return tuple(_benefit(loop) for loop in name.loops(loop_name))


def _benefit(loop: Loop) -> Benefit:
    eb = loop.opening
    entity = next((related.opening for related in loop.children if related.name.startswith("212")), None)
    return Benefit(
        code=eb.need(1),
        coverage_level=eb.opt(2),
        service_types=tuple(eb.repeats(3)),
        insurance_type=eb.opt(4),
        plan_name=eb.opt(5),
        time_period=eb.opt(6),
        amount=eb.decimal(7),
        percent=eb.decimal(8),
        quantity_qualifier=eb.opt(9),
        quantity=eb.decimal(10),
        auth_required=eb.opt(11),
        in_network=eb.opt(12),
        messages=tuple(msg[1] for msg in loop.each("MSG")),
        entity_name=entity[3] if entity else None,
    )


def read_270_set(unit: SetUnit) -> InquiryBatch:
    """The questions of one 270 transaction set."""
    root = fit(unit.tset, INQUIRY_270, unit.interchange.delimiters)
    bht = root.need("BHT")
    asked_on = bht.date(4)
    source = root.need_loop("2000A")
    receiver = source.need_loop("2000B")
    inquiries = [inquiry for level in receiver.loops("2000C") for inquiry in _inquiries(level, asked_on)]
    originator = next((i.originator for i in inquiries if i.originator), "")
    return InquiryBatch(
        read_header(unit.interchange),
        bht[3],
        _payer(source.need_loop("2100A")),
        _receiver(receiver),
        originator,
        tuple(i.inquiry for i in inquiries),
    )


class _Asked:
    """An inquiry and the trace originator it came with (TRN03)."""

    __slots__ = ("inquiry", "originator")

    def __init__(self, inquiry: Inquiry, originator: str) -> None:
        self.inquiry, self.originator = inquiry, originator


def _inquiries(level: Loop, asked_on: date) -> Iterator[_Asked]:
    name = level.need_loop("2100C")
    subscriber, member_id = _person(name), name.opening.opt(9)
    dependents = level.loops("2000D")
    if not dependents:
        trn = _our_trace(level)
        day, service_type = _question(name, "2110C", asked_on)
        yield _Asked(Inquiry(trn[2], member_id, subscriber, day, service_type), trn[3])
    for dependent in dependents:
        patient = dependent.need_loop("2100D")
        trn = _our_trace(dependent) if dependent.first("TRN") else _our_trace(level)
        day, service_type = _question(patient, "2110D", _question(name, "2110C", asked_on)[0])
        yield _Asked(Inquiry(trn[2], member_id, subscriber, day, service_type, _person(patient)), trn[3])


def _our_trace(level: Loop) -> Seg:
    return level.first("TRN", "1") or level.need("TRN")


def _question(name: Loop, loop_name: str, asked_on: date) -> tuple[date, str]:
    """The date asked about (DTP*291 of the person or the inquiry; else the day asked) and the
    first service type asked (EQ01; 30, health benefit plan coverage, when only EQ02 asks)."""
    eq = name.loop(loop_name)
    dates = [*name.each("DTP", "291"), *(eq.each("DTP", "291") if eq else ())]
    day = dates[0].period(2, 3).start if dates else asked_on
    types = eq.opening.repeats(1) if eq else []
    return day, types[0] if types else "30"
