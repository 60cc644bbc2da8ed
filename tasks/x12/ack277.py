"""277CA claim acknowledgment (005010X214): writer and reader (the value objects are in ack277_model)."""

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

from models.errors import X12ParseError
from tasks.x12.ack277_model import (
    ACCEPTED_CATEGORIES,
    VERSION_277CA,
    Ack277,
    ClaimAck,
    LineAck,
    StatusInfo,
)
from tasks.x12.envelope import read_header, write_interchange
from tasks.x12.guides.x214 import ACK_277CA
from tasks.x12.interchanges import SetUnit, transaction_sets
from tasks.x12.loops import Loop, fit
from tasks.x12.seg import Seg
from tasks.x12.segments import DEFAULT_DELIMITERS, Delimiters, SegmentWriter
from tasks.x12.values import amount, d8

__all__ = ["ACCEPTED_CATEGORIES", "VERSION_277CA", "Ack277", "ClaimAck", "LineAck", "StatusInfo"]
__all__ += ["read_277ca", "read_277ca_set", "write_277ca"]


def write_277ca(ack: Ack277, delimiters: Delimiters = DEFAULT_DELIMITERS) -> str:
    """One 277CA transaction set: information source, receiver, billing providers, claims."""
    w = SegmentWriter(delimiters)
    created = ack.header.created
    w.add("BHT", "0085", "08", ack.reference, d8(created), created.strftime("%H%M"), "TH")
    w.add("HL", "1", "", "20", "1")
    w.add("NM1", "AY", "2", ack.source_name, "", "", "", "", "46", ack.source_id)
    w.add("TRN", "1", ack.reference)
    w.add("DTP", "050", "D8", d8(ack.received))
    w.add("DTP", "009", "D8", d8(created))
    w.add("HL", "2", "1", "21", "1")
    w.add("NM1", "41", "2", ack.submitter_name, "", "", "", "", "46", ack.submitter_id)
    w.add("TRN", "2", ack.reference)
    _receipt(w, "41", created.date(), ack.claims)
    accepted = [c for c in ack.claims if c.accepted]
    w.add("QTY", "90", str(len(accepted)))
    w.add("QTY", "AA", str(len(ack.claims) - len(accepted)))
    hl = 2
    for (name, npi), claims in _by_billing(ack.claims):
        hl += 1
        provider_hl = hl
        w.add("HL", str(provider_hl), "2", "19", "1")
        w.add("NM1", "85", "2", name, "", "", "", "", "XX", npi)
        w.add("TRN", "1", "0")
        _receipt(w, "85", created.date(), claims)
        for claim in claims:
            hl += 1
            _claim(w, claim, hl, provider_hl)
    return write_interchange(ack.header, "HN", VERSION_277CA, [("277", w.segments)], delimiters)


def _receipt(w: SegmentWriter, entity: str, when: dt.date, claims: tuple[ClaimAck, ...] | list[ClaimAck]) -> None:
    """The STC every receiver and billing-provider level carries: A1:19 with the total (dated at 2200B only)."""
    total = sum((s.amount or Decimal(0) for c in claims for s in c.statuses[:1]), Decimal(0))
    w.add("STC", ("A1", "19", entity), d8(when) if entity == "41" else None, "WQ", amount(total))


def _by_billing(claims: tuple[ClaimAck, ...]) -> Iterator[tuple[tuple[str, str], list[ClaimAck]]]:
    grouped: dict[tuple[str, str], list[ClaimAck]] = {}
    for claim in claims:
        grouped.setdefault((claim.billing_name, claim.billing_npi), []).append(claim)
    yield from grouped.items()


def _claim(w: SegmentWriter, claim: ClaimAck, hl: int, parent: int) -> None:
    w.add("HL", str(hl), str(parent), "PT")
    w.add(
        "NM1",
        "QC",
        "1",
        claim.patient_last,
        claim.patient_first,
        "",
        "",
        "",
        "MI" if claim.member_id else "",
        claim.member_id,
    )
    w.add("TRN", "2", claim.patient_control_number)
    _status_segments(w, claim.statuses)
    if claim.payer_claim_number:
        w.add("REF", "1K", claim.payer_claim_number)
    _service_date(w, claim.service_date, claim.service_date_end)
    for line in claim.lines:
        w.add("SVC", ("HC", line.procedure_code, *line.modifiers), amount(line.charge))
        _status_segments(w, line.statuses)
        if line.line_control_number:
            w.add("REF", "FJ", line.line_control_number)
        _service_date(w, line.service_date, line.service_date_end)


def _status_segments(w: SegmentWriter, statuses: tuple[StatusInfo, ...]) -> None:
    """One STC per status (a reader takes STC10/STC11 apart into statuses the same way)."""
    for s in statuses:
        w.add(
            "STC",
            (s.category, s.status, s.entity or ""),
            d8(s.date) if s.date else None,
            s.action,
            amount(s.amount) if s.amount is not None else None,
        )


def _service_date(w: SegmentWriter, start: dt.date | None, end: dt.date | None) -> None:
    if start and end:
        w.add("DTP", "472", "RD8", f"{d8(start)}-{d8(end)}")
    elif start:
        w.add("DTP", "472", "D8", d8(start))


def read_277ca(text: str) -> Ack277:
    """Every claim acknowledgment in a file of 277CAs (several sets or interchanges: all claims)."""
    units = transaction_sets(text)
    acks = []
    for unit in units:
        if unit.kind != "277":
            raise X12ParseError(f"transaction set {unit.kind} is not a 277", segment=unit.tset.first_segment)
        acks.append(read_277ca_set(unit))
    if not acks:
        raise X12ParseError("no 277 transaction set", segment=1)
    claims = tuple(claim for ack in acks for claim in ack.claims)
    first = acks[0]
    return Ack277(
        first.header,
        first.reference,
        first.source_name,
        first.source_id,
        first.submitter_name,
        first.submitter_id,
        first.received,
        claims,
    )


def read_277ca_set(unit: SetUnit) -> Ack277:
    """The claim acknowledgments of one 277CA transaction set."""
    root = fit(unit.tset, ACK_277CA, unit.interchange.delimiters)
    header = read_header(unit.interchange)
    source = root.need_loop("2000A")
    source_name = source.need_loop("2100A").opening
    receipt = source.loop("2200A")
    received = next((d.period(2, 3).start for d in receipt.each("DTP", "050")), None) if receipt else None
    receiver = source.need_loop("2000B")
    submitter = receiver.need_loop("2100B").opening
    claims = [
        claim
        for billing in receiver.loops("2000C")
        for patient in billing.loops("2000D")
        for claim in _patient_claims(patient, billing.need_loop("2100C").opening)
    ]
    return Ack277(
        header,
        root.need("BHT")[3],
        source_name[3],
        source_name[9],
        submitter[3],
        submitter[9],
        received or header.created.date(),
        tuple(claims),
    )


def _patient_claims(patient: Loop, billing: Seg) -> Iterator[ClaimAck]:
    """Each 2200D of a patient is one claim (a patient may have several)."""
    nm1 = patient.need_loop("2100D").opening
    for claim in patient.loops("2200D"):
        ref = claim.first("REF", "1K")
        start, end = _service_dates(claim)
        yield ClaimAck(
            claim.opening.need(2),
            _statuses(claim),
            billing[3],
            billing[9],
            nm1[3],
            nm1[4],
            nm1.opt(9),
            ref.opt(2) if ref else None,
            start,
            tuple(_line(line) for line in claim.loops("2220D")),
            end,
        )


def _service_dates(loop: Loop) -> tuple[dt.date | None, dt.date | None]:
    dtp = loop.first("DTP", "472")
    if dtp is None:
        return None, None
    period = dtp.period(2, 3)
    return period.start, period.end


def _line(loop: Loop) -> LineAck:
    svc = loop.opening
    procedure = svc.components(1)
    if len(procedure) < 2 or not procedure[1]:
        raise svc.error("SVC01 has no procedure code (qualifier:code:modifiers)")
    ref = loop.first("REF", "FJ")
    start, end = _service_dates(loop)
    modifiers = tuple(m for m in procedure[2:6] if m)
    return LineAck(
        procedure[1], svc.need_decimal(2), _statuses(loop), modifiers, ref.opt(2) if ref else None, start, end
    )


def _statuses(loop: Loop) -> tuple[StatusInfo, ...]:
    """Every status of every STC of a loop: STC01, then STC10 and STC11 when present."""
    return tuple(status for stc in loop.each("STC") for status in _stc(stc))


def _stc(stc: Seg) -> Iterator[StatusInfo]:
    when = stc.date(2) if stc[2] else None
    value = stc.decimal(4)
    charged = value.quantize(Decimal("0.01")) if value is not None else None
    for index in (1, 10, 11):
        if not stc[index]:
            continue
        parts = stc.components(index) + ["", ""]
        if not parts[0] or not parts[1]:
            raise stc.error(f"{stc.name(index)} is not category:status[:entity]")
        yield StatusInfo(parts[0], parts[1], parts[2] or None, when, stc.opt(3), charged)
