"""277 claim status response (005010X212): writer (the sandbox payer answers) and reader (groupbill reads).

Not the 277CA (005010X214, tasks/x12/ack277.py): both are ST*277; the functional group's version tells
them apart (`is_claim_status`).
"""

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

from models.errors import X12ParseError
from tasks.x12.ack277_model import StatusInfo
from tasks.x12.claim837_model import Payer
from tasks.x12.envelope import read_header, write_interchange
from tasks.x12.guides.x212 import RESPONSE_277
from tasks.x12.interchanges import SetUnit, transaction_sets
from tasks.x12.loops import Loop, fit
from tasks.x12.seg import Seg
from tasks.x12.segments import DEFAULT_DELIMITERS, Delimiters, SegmentWriter
from tasks.x12.status_model import VERSION_276_277, ClaimStatus, LineStatus, Provider, StatusResponse
from tasks.x12.values import amount, d8


def is_claim_status(unit: SetUnit) -> bool:
    """True for a 277 claim status response (X212), not a 277CA (X214)."""
    version = unit.tset.version or unit.group.version
    return unit.kind == "277" and version.startswith(VERSION_276_277)


def write_277(response: StatusResponse, delimiters: Delimiters = DEFAULT_DELIMITERS) -> str:
    """One 277 transaction set answering every claim of the response."""
    w = SegmentWriter(delimiters)
    created = response.header.created
    w.add("BHT", "0010", "08", response.reference, d8(created), created.strftime("%H%M"), "DG")
    w.add("HL", "1", "", "20", "1")
    w.add("NM1", "PR", "2", response.payer.name, "", "", "", "", "PI", response.payer.payer_id)
    w.add("HL", "2", "1", "21", "1")
    w.add("NM1", "41", "2", response.receiver_name, "", "", "", "", "46", response.receiver_id)
    hl = 2
    providers: dict[Provider, list[ClaimStatus]] = {}
    for claim in response.claims:
        providers.setdefault(claim.provider, []).append(claim)
    for provider, claims in providers.items():
        hl += 1
        provider_hl = hl
        w.add("HL", str(provider_hl), "2", "19", "1")
        w.add("NM1", "1P", "2", provider.name, "", "", "", "", "XX", provider.npi)
        for claim in claims:
            hl = _claim(w, claim, hl + 1, provider_hl)
    return write_interchange(response.header, "HN", VERSION_276_277, [("277", w.segments)], delimiters)


def _claim(w: SegmentWriter, claim: ClaimStatus, hl: int, parent: int) -> int:
    w.add("HL", str(hl), str(parent), "22", "1" if claim.dependent else "0")
    last, first = (
        (claim.subscriber_last, claim.subscriber_first)
        if claim.dependent
        else (claim.patient_last, claim.patient_first)
    )
    w.add("NM1", "IL", "1", last, first, "", "", "", "MI", claim.member_id)
    if claim.dependent:
        hl += 1
        w.add("HL", str(hl), str(hl - 1), "23")
        w.add("NM1", "QC", "1", claim.patient_last, claim.patient_first)
    w.add("TRN", "2", claim.trace_number)
    for number, status in enumerate(claim.statuses):
        money = (claim.charge, claim.paid, claim.adjudicated_on) if number == 0 else (None, None, None)
        remit = (claim.remitted_on, claim.remittance_trace) if number == 0 else (None, None)
        w.add(
            "STC",
            _composite(status),
            d8(status.date) if status.date else None,
            None,
            _amount(money[0]),
            _amount(money[1]),
            d8(money[2]) if money[2] else None,
            None,
            d8(remit[0]) if remit[0] else None,
            remit[1],
        )
    if claim.payer_claim_number:
        w.add("REF", "1K", claim.payer_claim_number)
    if claim.patient_control_number:
        w.add("REF", "EJ", claim.patient_control_number)
    _dates(w, claim.service_date, claim.service_date_end)
    for line in claim.lines:
        procedure = ("HC", line.procedure_code, *line.modifiers)
        w.add("SVC", procedure, amount(line.charge), amount(line.paid), "", "", "", str(line.units))
        for status in line.statuses:
            w.add("STC", _composite(status), d8(status.date) if status.date else None)
        if line.line_control_number:
            w.add("REF", "FJ", line.line_control_number)
        _dates(w, line.service_date, line.service_date_end)
    return hl


def _composite(status: StatusInfo) -> tuple[str, ...]:
    return (status.category, status.status, status.entity or "")


def _amount(value: Decimal | None) -> str | None:
    return amount(value) if value is not None else None


def _dates(w: SegmentWriter, start: dt.date | None, end: dt.date | None) -> None:
    if start and end and end != start:
        w.add("DTP", "472", "RD8", f"{d8(start)}-{d8(end)}")
    elif start:
        w.add("DTP", "472", "D8", d8(start))


def read_277(text: str) -> StatusResponse:
    """Every claim status in a file of 277 claim status responses (several sets: all their claims)."""
    units = transaction_sets(text)
    answers = []
    for unit in units:
        if not is_claim_status(unit):
            raise X12ParseError(
                f"transaction set {unit.kind} is not a 277 claim status response ({VERSION_276_277})",
                segment=unit.tset.first_segment,
            )
        answers.append(read_277_set(unit))
    if not answers:
        raise X12ParseError("no 277 transaction set", segment=1)
    first = answers[0]
    claims = tuple(c for a in answers for c in a.claims)
    return StatusResponse(first.header, first.reference, first.payer, first.receiver_name, first.receiver_id, claims)


def read_277_set(unit: SetUnit) -> StatusResponse:
    """The claim statuses of one 277 (X212) transaction set."""
    root = fit(unit.tset, RESPONSE_277, unit.interchange.delimiters)
    source = root.need_loop("2000A")
    payer = source.need_loop("2100A").opening
    receiver = source.need_loop("2000B")
    receiver_name = receiver.need_loop("2100B").opening
    claims = [claim for level in receiver.loops("2000C") for claim in _provider_claims(level)]
    return StatusResponse(
        read_header(unit.interchange),
        root.need("BHT")[3],
        Payer(payer[3], payer.need(9)),
        receiver_name[3],
        receiver_name.need(9),
        tuple(claims),
    )


def _provider_claims(level: Loop) -> Iterator[ClaimStatus]:
    nm1 = level.need_loop("2100C").opening
    provider = Provider(nm1[3], nm1.need(9))
    for subscriber in level.loops("2000D"):
        name = subscriber.need_loop("2100D").opening
        for claim in subscriber.loops("2200D"):
            yield _status(claim, name.need(9), provider, name, None)
        for dependent in subscriber.loops("2000E"):
            patient = dependent.need_loop("2100E").opening
            for claim in dependent.loops("2200E"):
                yield _status(claim, name.need(9), provider, patient, name)


def _status(loop: Loop, member_id: str, provider: Provider, person: Seg, subscriber: Seg | None) -> ClaimStatus:
    """One 2200D/E claim; `subscriber` is the 2100D name when the patient (`person`) is a dependent."""
    stc = loop.first("STC")
    if stc is None:
        raise loop.opening.error(f"{loop.spec.describe()} has no STC")
    ref_1k, ref_ej = loop.first("REF", "1K"), loop.first("REF", "EJ")
    start, end = _service_dates(loop)
    return ClaimStatus(
        loop.opening.need(2),
        statuses(loop),
        member_id,
        provider,
        person[3],
        person[4],
        ref_ej.opt(2) if ref_ej else None,
        ref_1k.opt(2) if ref_1k else None,
        _money(stc, 4),
        _money(stc, 5),
        stc.date(6) if stc[6] else None,
        stc.date(8) if stc[8] else None,
        stc.opt(9),
        start,
        end,
        subscriber is not None,
        tuple(_line(line) for line in loop.loops(f"2220{loop.name[-1]}")),
        subscriber[3] if subscriber is not None else "",
        subscriber[4] if subscriber is not None else "",
    )


def _money(stc: Seg, index: int) -> Decimal | None:
    value = stc.decimal(index)
    return value.quantize(Decimal("0.01")) if value is not None else None


def _service_dates(loop: Loop) -> tuple[dt.date | None, dt.date | None]:
    dtp = loop.first("DTP", "472")
    if dtp is None:
        return None, None
    period = dtp.period(2, 3)
    return period.start, period.end if period.end != period.start else None


def _line(loop: Loop) -> LineStatus:
    svc = loop.opening
    procedure = svc.components(1)
    if len(procedure) < 2 or not procedure[1]:
        raise svc.error("SVC01 has no procedure code (qualifier:code:modifiers)")
    ref = loop.first("REF", "FJ")
    start, end = _service_dates(loop)
    return LineStatus(
        procedure[1],
        svc.need_decimal(2).quantize(Decimal("0.01")),
        (svc.decimal(3) or Decimal(0)).quantize(Decimal("0.01")),
        statuses(loop),
        tuple(m for m in procedure[2:6] if m),
        svc.integer(7) if svc[7] else 1,
        ref.opt(2) if ref else None,
        start,
        end,
    )


def statuses(loop: Loop) -> tuple[StatusInfo, ...]:
    """Every status of every STC of a loop: STC01, then STC10 and STC11 when present."""
    found = []
    for stc in loop.each("STC"):
        when = stc.date(2) if stc[2] else None
        for index in (1, 10, 11):
            if not stc[index]:
                continue
            parts = stc.components(index) + ["", ""]
            if not parts[0] or not parts[1]:
                raise stc.error(f"{stc.name(index)} is not category:status[:entity]")
            found.append(StatusInfo(parts[0], parts[1], parts[2] or None, when))
    return tuple(found)
