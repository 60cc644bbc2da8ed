"""276 claim status request (005010X212): writer (groupbill asks) and reader (the sandbox payer answers).

Each claim is asked about under a subscriber level of its own (2000D), with a dependent level (2000E)
when the patient is not the subscriber; claims are grouped under their provider (2000C).
"""

from collections.abc import Iterator

from models.errors import X12ParseError
from tasks.x12.claim837_model import Payer, Person
from tasks.x12.envelope import read_header, write_interchange
from tasks.x12.guides.x212 import REQUEST_276
from tasks.x12.interchanges import SetUnit, transaction_sets
from tasks.x12.loops import Loop, fit
from tasks.x12.seg import Seg
from tasks.x12.segments import DEFAULT_DELIMITERS, Delimiters, SegmentWriter
from tasks.x12.status_model import VERSION_276_277, ClaimInquiry, LineInquiry, Provider, StatusRequest
from tasks.x12.values import amount, d8


def write_276(request: StatusRequest, delimiters: Delimiters = DEFAULT_DELIMITERS) -> str:
    """One 276 transaction set asking about every claim of the request."""
    w = SegmentWriter(delimiters)
    created = request.header.created
    w.add("BHT", "0010", "13", request.reference, d8(created), created.strftime("%H%M"))
    w.add("HL", "1", "", "20", "1")
    w.add("NM1", "PR", "2", request.payer.name, "", "", "", "", "PI", request.payer.payer_id)
    w.add("HL", "2", "1", "21", "1")
    w.add("NM1", "41", "2", request.receiver_name, "", "", "", "", "46", request.receiver_id)
    hl = 2
    for provider, inquiries in by_provider(request.inquiries):
        hl += 1
        provider_hl = hl
        w.add("HL", str(provider_hl), "2", "19", "1")
        w.add("NM1", "1P", "2", provider.name, "", "", "", "", "XX", provider.npi)
        for inquiry in inquiries:
            hl = _inquiry(w, inquiry, hl + 1, provider_hl)
    return write_interchange(request.header, "HR", VERSION_276_277, [("276", w.segments)], delimiters)


def by_provider(claims: tuple[ClaimInquiry, ...]) -> Iterator[tuple[Provider, list[ClaimInquiry]]]:
    """Claims grouped by provider, in first-seen order."""
    grouped: dict[Provider, list[ClaimInquiry]] = {}
    for claim in claims:
        grouped.setdefault(claim.provider, []).append(claim)
    yield from grouped.items()


def _inquiry(w: SegmentWriter, inquiry: ClaimInquiry, hl: int, parent: int) -> int:
    """The subscriber level (and the dependent's) with the claim; the last HL number used."""
    dependent = inquiry.patient is not None
    w.add("HL", str(hl), str(parent), "22", "1" if dependent else "0")
    if not dependent:
        _demographics(w, inquiry.subscriber)
    subscriber = inquiry.subscriber
    w.add("NM1", "IL", "1", subscriber.last_name, subscriber.first_name, "", "", "", "MI", inquiry.member_id)
    if inquiry.patient is not None:
        hl += 1
        w.add("HL", str(hl), str(hl - 1), "23")
        _demographics(w, inquiry.patient)
        w.add("NM1", "QC", "1", inquiry.patient.last_name, inquiry.patient.first_name)
    w.add("TRN", "1", inquiry.trace_number)
    if inquiry.payer_claim_number:
        w.add("REF", "1K", inquiry.payer_claim_number)
    w.add("REF", "EJ", inquiry.patient_control_number)
    w.add("AMT", "T3", amount(inquiry.charge))
    end = inquiry.service_date_end or inquiry.service_date
    w.add("DTP", "472", "RD8", f"{d8(inquiry.service_date)}-{d8(end)}")
    for line in inquiry.lines:
        w.add("SVC", ("HC", line.procedure_code, *line.modifiers), amount(line.charge), "", "", "", "", str(line.units))
        if line.line_control_number:
            w.add("REF", "FJ", line.line_control_number)
        w.add("DTP", "472", "D8", d8(line.service_date))
    return hl


def _demographics(w: SegmentWriter, person: Person) -> None:
    if person.birth_date is not None:
        w.add("DMG", "D8", d8(person.birth_date), person.sex or "U")


def read_276(text: str) -> StatusRequest:
    """Every claim asked about in a file of 276s (several sets or interchanges: all of them)."""
    units = transaction_sets(text)
    requests = []
    for unit in units:
        if unit.kind != "276":
            raise X12ParseError(f"transaction set {unit.kind} is not a 276", segment=unit.tset.first_segment)
        requests.append(read_276_set(unit))
    if not requests:
        raise X12ParseError("no 276 transaction set", segment=1)
    first = requests[0]
    inquiries = tuple(i for r in requests for i in r.inquiries)
    return StatusRequest(first.header, first.reference, first.payer, first.receiver_name, first.receiver_id, inquiries)


def read_276_set(unit: SetUnit) -> StatusRequest:
    """The claims asked about in one 276 transaction set."""
    root = fit(unit.tset, REQUEST_276, unit.interchange.delimiters)
    source = root.need_loop("2000A")
    payer = source.need_loop("2100A").opening
    receiver = source.need_loop("2000B")
    receiver_name = receiver.need_loop("2100B").opening
    inquiries = [
        inquiry for provider_level in receiver.loops("2000C") for inquiry in _provider_inquiries(provider_level)
    ]
    return StatusRequest(
        read_header(unit.interchange),
        root.need("BHT")[3],
        Payer(payer[3], payer.need(9)),
        receiver_name[3],
        receiver_name.need(9),
        tuple(inquiries),
    )


def _provider_inquiries(level: Loop) -> Iterator[ClaimInquiry]:
    nm1 = level.need_loop("2100C").opening
    provider = Provider(nm1[3], nm1.need(9))
    for subscriber in level.loops("2000D"):
        name = subscriber.need_loop("2100D").opening
        person = _person(name, subscriber.first("DMG"))
        for claim in subscriber.loops("2200D"):
            yield _claim(claim, name.need(9), person, provider, None)
        for dependent in subscriber.loops("2000E"):
            patient = _person(dependent.need_loop("2100E").opening, dependent.first("DMG"))
            for claim in dependent.loops("2200E"):
                yield _claim(claim, name.need(9), person, provider, patient)


def _person(nm1: Seg, dmg: Seg | None) -> Person:
    born = dmg.date(2) if dmg is not None and dmg[2] else None
    return Person(nm1[3], nm1[4], born, dmg.opt(3) if dmg is not None else None)


def _claim(loop: Loop, member_id: str, subscriber: Person, provider: Provider, patient: Person | None) -> ClaimInquiry:
    ref_ej, ref_1k = loop.first("REF", "EJ"), loop.first("REF", "1K")
    dates = loop.need("DTP", "472").period(2, 3)
    return ClaimInquiry(
        loop.opening.need(2),
        ref_ej.need(2) if ref_ej else "",
        member_id,
        subscriber,
        provider,
        loop.need("AMT", "T3").need_decimal(2),
        dates.start,
        dates.end if dates.end != dates.start else None,
        patient,
        ref_1k.opt(2) if ref_1k else None,
        tuple(_line(line) for line in loop.loops(f"2210{loop.name[-1]}")),
    )


def _line(loop: Loop) -> LineInquiry:
    svc = loop.opening
    procedure = svc.components(1)
    if len(procedure) < 2 or not procedure[1]:
        raise svc.error("SVC01 has no procedure code (qualifier:code:modifiers)")
    ref = loop.first("REF", "FJ")
    return LineInquiry(
        procedure[1],
        svc.need_decimal(2),
        loop.need("DTP", "472").period(2, 3).start,
        tuple(m for m in procedure[2:6] if m),
        svc.integer(7) if svc[7] else 1,
        ref.opt(2) if ref else None,
    )
