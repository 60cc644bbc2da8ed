"""Write 270 inquiries (groupbill asks) and 271 responses (the sandbox payer answers)."""

from decimal import Decimal

from tasks.x12.claim837_model import Payer, Person
from tasks.x12.eligibility_model import (
    VERSION_270_271,
    Benefit,
    EligibilityResponse,
    InformationReceiver,
    InquiryBatch,
    RequestError,
    ResponseBatch,
)
from tasks.x12.envelope import Header, write_interchange
from tasks.x12.segments import DEFAULT_DELIMITERS, Delimiters, SegmentWriter
from tasks.x12.values import amount, d8


def write_270(batch: InquiryBatch, delimiters: Delimiters = DEFAULT_DELIMITERS) -> str:
    """One 270 transaction set holding every inquiry of the batch."""
    w = _opening(batch.header, "13", batch.reference, batch.payer, batch.receiver, (), delimiters)
    hl = 2
    for inquiry in batch.inquiries:
        hl += 1
        w.add("HL", str(hl), "2", "22", "1" if inquiry.dependent else "0")
        w.add("TRN", "1", inquiry.trace_number, batch.originator)
        _name(w, "IL", inquiry.subscriber, inquiry.member_id)
        _demographics(w, inquiry.subscriber)
        if inquiry.dependent is not None:
            hl += 1
            w.add("HL", str(hl), str(hl - 1), "23", "0")
            _name(w, "03", inquiry.dependent, None)
            _demographics(w, inquiry.dependent)
        w.add("DTP", "291", "D8", d8(inquiry.service_date))
        w.add("EQ", inquiry.service_type)
    return write_interchange(batch.header, "HS", VERSION_270_271, [("270", w.segments)], delimiters)


def write_271(batch: ResponseBatch, delimiters: Delimiters = DEFAULT_DELIMITERS) -> str:
    """One 271 transaction set answering every inquiry of a 270."""
    w = _opening(batch.header, "11", batch.reference, batch.payer, batch.receiver, batch.errors, delimiters)
    hl = 2
    for response in batch.responses:
        hl += 1
        w.add("HL", str(hl), "2", "22", "1" if response.dependent else "0")
        w.add("TRN", "2", response.trace_number, "9GROUPBILL")
        _name(w, "IL", response.subscriber, response.member_id)
        _errors(w, tuple(e for e in response.errors if e.loop != "2100D"))
        _demographics(w, response.subscriber)
        if response.dependent is not None:
            for benefit in response.subscriber_benefits:
                _benefit(w, benefit)
            hl += 1
            w.add("HL", str(hl), str(hl - 1), "23", "0")
            _name(w, "03", response.dependent, None)
            _errors(w, tuple(e for e in response.errors if e.loop == "2100D"))
            _demographics(w, response.dependent)
            if response.relationship:
                w.add("INS", "N", response.relationship)
        _coverage(w, response)
    return write_interchange(batch.header, "HB", VERSION_270_271, [("271", w.segments)], delimiters)


def _opening(
    header: Header,
    purpose: str,
    reference: str,
    payer: Payer,
    receiver: InformationReceiver,
    payer_errors: tuple[RequestError, ...],
    d: Delimiters,
) -> SegmentWriter:
    w = SegmentWriter(d)
    w.add("BHT", "0022", purpose, reference, d8(header.created), header.created.strftime("%H%M"))
    w.add("HL", "1", "", "20", "1")
    w.add("NM1", "PR", "2", payer.name, "", "", "", "", "PI", payer.payer_id)
    _errors(w, payer_errors)
    w.add("HL", "2", "1", "21", "1")
    w.add("NM1", "1P", "2", receiver.name, "", "", "", "", "XX", receiver.npi)
    return w


def _name(w: SegmentWriter, entity: str, person: Person, member_id: str | None) -> None:
    w.add("NM1", entity, "1", person.last_name, person.first_name, "", "", "", "MI" if member_id else "", member_id)


def _demographics(w: SegmentWriter, person: Person) -> None:
    if person.birth_date is not None:
        w.add("DMG", "D8", d8(person.birth_date), person.sex)


def _errors(w: SegmentWriter, errors: tuple[RequestError, ...]) -> None:
    for error in errors:
        w.add("AAA", "N", "", error.code, error.follow_up)


def _coverage(w: SegmentWriter, response: EligibilityResponse) -> None:
    if response.plan_begin:
        w.add("DTP", "346", "D8", d8(response.plan_begin))
    if response.plan_end:
        w.add("DTP", "347", "D8", d8(response.plan_end))
    for benefit in response.benefits:
        _benefit(w, benefit)


def _benefit(w: SegmentWriter, b: Benefit) -> None:
    w.add(
        "EB",
        b.code,
        b.coverage_level,
        w.repeat(b.service_types),
        b.insurance_type,
        b.plan_name,
        b.time_period,
        _opt(b.amount),
        _opt(b.percent),
        b.quantity_qualifier,
        _opt(b.quantity),
        b.auth_required,
        b.in_network,
    )
    for message in b.messages:
        w.add("MSG", message)
    if b.entity_name:
        w.add("LS", "2120")
        w.add("NM1", "PR", "2", b.entity_name)
        w.add("LE", "2120")


def _opt(value: Decimal | None) -> str | None:
    return amount(value) if value is not None else None
