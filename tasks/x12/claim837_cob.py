"""The 837P's other-payer loops, written and read: 2320 (with 2330A and 2330B) per other payer of the
claim, and 2430 per prior payer on each line. A prior payer's adjudication is repeated exactly as its
835 gave it: claim-level CAS, AMT*D paid, MOA remarks, and per line SVD, the line's CAS and DTP*573
(../shared/reference/cob.md).

AMT*EAF (remaining patient liability) goes where X222A1 puts it: in 2430 after DTP*573 for each line
a payer adjudicated at line level, in 2320 only for a payer that answered at claim level; never both
for one payer (X12 RFIs 1391, 1515, 1517). It is not sent to Medicare."""

from collections.abc import Iterator, Sequence
from decimal import Decimal

from tasks.x12.claim837_model import Cas, LineAdjudication, OtherPayer, Payer, Person
from tasks.x12.loops import Loop
from tasks.x12.seg import Seg
from tasks.x12.segments import SegmentWriter
from tasks.x12.values import MEDICARE_FILING, amount, d8

MAX_CAS_REASONS = 6


def write_other_payers(w: SegmentWriter, others: Sequence[OtherPayer], billed_filing: str) -> None:
    """Loop 2320 (and its 2330A/2330B) for each other payer of a claim billed to `billed_filing`."""
    for o in others:
        w.add("SBR", o.sequence, o.relationship, o.group_number, "", o.msp_type, "", "", "", o.filing_indicator)
        write_cas(w, o.adjustments)
        if o.paid is not None:
            w.add("AMT", "D", amount(o.paid))
        if o.remaining_liability is not None and billed_filing not in MEDICARE_FILING:
            w.add("AMT", "EAF", amount(o.remaining_liability))
        w.add("OI", "", "", "Y", "", "", "Y")
        if o.remarks:
            w.add("MOA", "", "", *o.remarks[:5])
        s = o.subscriber
        w.add("NM1", "IL", "1", s.last_name, s.first_name, "", "", "", "MI", o.member_id)
        w.add("NM1", "PR", "2", o.payer.name, "", "", "", "", "PI", o.payer.payer_id)
        if o.adjudicated_on is not None:
            w.add("DTP", "573", "D8", d8(o.adjudicated_on))
        if o.claim_number:
            w.add("REF", "F8", o.claim_number)


def write_line_adjudications(w: SegmentWriter, adjudications: Sequence[LineAdjudication], billed_filing: str) -> None:
    """Loop 2430 for each prior payer's adjudication of one line of a claim billed to `billed_filing`."""
    for a in adjudications:
        w.add("SVD", a.payer_id, amount(a.paid), ("HC", a.procedure_code, *a.modifiers), "", amount(a.units))
        write_cas(w, a.adjustments)
        w.add("DTP", "573", "D8", d8(a.adjudicated_on))
        if a.remaining_liability is not None and billed_filing not in MEDICARE_FILING:
            w.add("AMT", "EAF", amount(a.remaining_liability))


def write_cas(w: SegmentWriter, adjustments: Sequence[Cas]) -> None:
    """CAS segments in the 835's order: consecutive reasons of one group share a segment, six at most."""
    for run in _runs(adjustments):
        triplets = [(a.reason, amount(a.amount), amount(a.quantity) if a.quantity is not None else "") for a in run]
        w.add("CAS", run[0].group, *[x for t in triplets for x in t])


def _runs(adjustments: Sequence[Cas]) -> Iterator[list[Cas]]:
    run: list[Cas] = []
    for adjustment in adjustments:
        if run and (run[0].group != adjustment.group or len(run) == MAX_CAS_REASONS):
            yield run
            run = []
        run.append(adjustment)
    if run:
        yield run


def read_other_payers(claim: Loop) -> tuple[OtherPayer, ...]:
    """Every 2320 of a claim with its 2330A subscriber and 2330B payer."""
    return tuple(_other_payer(loop) for loop in claim.loops("2320"))


def _other_payer(loop: Loop) -> OtherPayer:
    sbr = loop.opening
    subscriber, payer = loop.need_loop("2330A").opening, loop.need_loop("2330B")
    paid, left = loop.first("AMT", "D"), loop.first("AMT", "EAF")
    moa, adjudicated, number = loop.first("MOA"), payer.first("DTP", "573"), payer.first("REF", "F8")
    return OtherPayer(
        sequence=sbr[1],
        relationship=sbr[2],
        filing_indicator=sbr[9],
        subscriber=Person(subscriber[3], subscriber[4]),
        member_id=subscriber[9],
        payer=Payer(payer.opening[3], payer.opening[9]),
        group_number=sbr.opt(3),
        msp_type=sbr.opt(5),
        adjustments=read_cas(loop.each("CAS")),
        paid=paid.need_decimal(2) if paid else None,
        remaining_liability=left.need_decimal(2) if left else None,
        remarks=tuple(code for code in moa.elements[3:8] if code) if moa else (),
        claim_number=number[2] if number else None,
        adjudicated_on=adjudicated.period(2, 3).start if adjudicated else None,
    )


def read_line_adjudications(line: Loop) -> tuple[LineAdjudication, ...]:
    """Every 2430 of a service line."""
    return tuple(_line_adjudication(loop) for loop in line.loops("2430"))


def _line_adjudication(loop: Loop) -> LineAdjudication:
    svd = loop.opening
    composite = svd.components(3)
    if len(composite) < 2 or not composite[1]:
        raise svd.error("SVD03 has no procedure code (qualifier:code:modifiers)")
    dtp, left = loop.first("DTP", "573"), loop.first("AMT", "EAF")
    if dtp is None:
        raise svd.error("line adjudication has no DTP*573 date")
    return LineAdjudication(
        payer_id=svd[1],
        paid=svd.need_decimal(2),
        procedure_code=composite[1],
        units=svd.decimal(5) or Decimal(1),
        adjudicated_on=dtp.period(2, 3).start,
        modifiers=tuple(m for m in composite[2:6] if m),
        adjustments=read_cas(loop.each("CAS")),
        remaining_liability=left.need_decimal(2) if left else None,
    )


def read_cas(segments: Iterator[Seg]) -> tuple[Cas, ...]:
    """CAS segments: a group and up to six reason, amount, quantity triplets each."""
    found: list[Cas] = []
    for cas in segments:
        for i in range(2, len(cas.elements), 3):
            if cas[i]:
                quantity = cas.decimal(i + 2) if cas.opt(i + 2) else None
                found.append(Cas(cas.need(1), cas[i], cas.need_decimal(i + 1), quantity))
    return tuple(found)
