"""Write an 835 (the sandbox payer's remittance): one transaction set per payment."""

from collections.abc import Iterator, Sequence

from tasks.x12.envelope import Header, write_interchange
from tasks.x12.remit835_model import VERSION_835, Adjustment, ClaimPayment, Payment, Remittance, ServicePayment
from tasks.x12.segments import DEFAULT_DELIMITERS, Delimiters, SegmentWriter
from tasks.x12.values import amount, d8

MAX_CAS_REASONS = 6


def write_835(remittance: Remittance, delimiters: Delimiters = DEFAULT_DELIMITERS) -> str:
    """The remittance as one interchange with one 835 set per payment."""
    sets = [("835", _payment(remittance.header, p, delimiters)) for p in remittance.payments]
    return write_interchange(remittance.header, "HP", VERSION_835, sets, delimiters, version_in_st=False)


def _payment(header: Header, p: Payment, d: Delimiters) -> list[str]:
    w = SegmentWriter(d)
    handling = "I" if p.payment_amount else "H"
    w.add("BPR", handling, amount(p.payment_amount), "C", p.payment_method, *[""] * 11, d8(p.payment_date))
    w.add("TRN", "1", p.trace_number, p.originator)
    w.add("DTM", "405", d8(header.created.date()))
    w.add("N1", "PR", p.payer_name)
    w.add("N3", p.payer_address.line1, p.payer_address.line2)
    w.add("N4", p.payer_address.city, p.payer_address.state, p.payer_address.zip_code)
    w.add("REF", "2U", p.payer_id)
    w.add("PER", "BL", "CLAIMS", "TE", p.payer_contact_phone)
    _payee(w, p)
    if p.claims:
        w.add("LX", "1")
    for claim in p.claims:
        _claim(w, claim)
    for chunk in _chunks(list(p.provider_adjustments), MAX_CAS_REASONS):
        first = chunk[0]
        pairs = [((a.reason, a.reference or ""), amount(a.amount)) for a in chunk]
        w.add("PLB", first.provider_id, d8(first.fiscal_date), *[x for pair in pairs for x in pair])
    return w.segments


def _payee(w: SegmentWriter, p: Payment) -> None:
    """N1*PE with the NPI (or the tax ID when there is no NPI), then the payee's other IDs as REF."""
    if p.payee_npi:
        w.add("N1", "PE", p.payee_name, "XX", p.payee_npi)
    else:
        w.add("N1", "PE", p.payee_name, "FI" if p.payee_tax_id else None, p.payee_tax_id)
    if p.payee_tax_id and p.payee_npi:
        w.add("REF", "TJ", p.payee_tax_id)
    for qualifier, value in p.payee_other_ids:
        if qualifier in ("0B", "D3", "PQ"):
            w.add("REF", qualifier, value)


def _claim(w: SegmentWriter, c: ClaimPayment) -> None:
    w.add(
        "CLP",
        c.patient_control_number,
        c.status_code,
        amount(c.charge),
        amount(c.paid),
        amount(c.patient_responsibility),
        c.filing_indicator,
        c.payer_claim_number,
        c.place_of_service,
        c.frequency,
    )
    _adjustments(w, c.adjustments)
    w.add("NM1", "QC", "1", c.patient_last, c.patient_first, "", "", "", "MI" if c.member_id else "", c.member_id)
    if c.remarks:
        w.add("MOA", "", "", *c.remarks[:5])
    if c.statement_start:
        w.add("DTM", "232", d8(c.statement_start))
    if c.statement_end:
        w.add("DTM", "233", d8(c.statement_end))
    for line in c.lines:
        _line(w, line)


def _line(w: SegmentWriter, s: ServicePayment) -> None:
    w.add("SVC", ("HC", s.procedure_code, *s.modifiers), amount(s.charge), amount(s.paid), "", amount(s.units))
    if s.service_date and s.service_date_end:
        w.add("DTM", "150", d8(s.service_date))
        w.add("DTM", "151", d8(s.service_date_end))
    elif s.service_date:
        w.add("DTM", "472", d8(s.service_date))
    _adjustments(w, s.adjustments)
    if s.line_control_number:
        w.add("REF", "6R", s.line_control_number)
    if s.allowed is not None:
        w.add("AMT", "B6", amount(s.allowed))
    for remark in s.remarks:
        w.add("LQ", "HE", remark)


def _adjustments(w: SegmentWriter, adjustments: Sequence[Adjustment]) -> None:
    """CAS segments: consecutive reasons of one group share a segment, six at most."""
    runs: list[list[Adjustment]] = []
    for adj in adjustments:
        if runs and runs[-1][0].group == adj.group and len(runs[-1]) < MAX_CAS_REASONS:
            runs[-1].append(adj)
        else:
            runs.append([adj])
    for run in runs:
        triplets = [(a.reason, amount(a.amount), amount(a.quantity) if a.quantity is not None else "") for a in run]
        w.add("CAS", run[0].group, *[x for t in triplets for x in t])


def _chunks(items: list[object], size: int) -> Iterator[list]:  # type: ignore[type-arg]
    for start in range(0, len(items), size):
        yield items[start : start + size]
