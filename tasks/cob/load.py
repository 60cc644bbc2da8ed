"""Read what the prior payers did from the posted 835s, for a batch of claims (a few queries per batch)."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from sqlmodel import Session, col, select

from models.claims import Claim, ClaimLine
from models.enums import ClaimFrequency, PayerSequence
from models.exchange import ClaimPayment, LinePayment, PaymentAdjustment, Remittance
from models.lifecycle import TERMINAL_STATUSES
from models.plain import plain_rows
from models.types import db_id
from tasks.cob.order import crossed_over
from tasks.cob.outcomes import Answer
from tasks.cob.prior import Dispute, PriorAdjudication, PriorLine, standing
from tasks.x12.claim837_model import Cas

Priors = dict[PayerSequence, PriorAdjudication]


def load_priors(session: Session, claims: Iterable[Claim]) -> dict[int, Priors]:
    """For each secondary or tertiary claim, the standing adjudication of every payer before it, by sequence."""
    later = [c for c in claims if c.payer_sequence is not PayerSequence.PRIMARY]
    if not later:
        return {}
    candidates = _prior_claims(session, {c.attendance_id for c in later})
    adjudications = _adjudications(session, candidates)
    found: dict[int, Priors] = {}
    for claim in later:
        mine = [a for a in adjudications.get(claim.attendance_id, []) if a.sequence.rank < claim.payer_sequence.rank]
        found[db_id(claim.id)] = {a.sequence: a for a in sorted(mine, key=lambda a: a.claim_id)}  # newest wins
    return found


def _prior_claims(session: Session, attendance_ids: set[int]) -> list[Claim]:
    """The live claims of these attendances that may have been adjudicated (not closed, not a void)."""
    criteria = (
        col(Claim.attendance_id).in_(sorted(attendance_ids)),
        col(Claim.status).notin_(TERMINAL_STATUSES),
        col(Claim.frequency) != ClaimFrequency.VOID,
    )
    return plain_rows(session, Claim, *criteria, order_by=(Claim.id,))


def _adjudications(session: Session, claims: list[Claim]) -> dict[int, list[PriorAdjudication]]:
    """The standing adjudication of each claim that has one, by attendance."""
    by_id = {db_id(c.id): c for c in claims}
    chosen, paid_on = _standing_payments(session, list(by_id))
    payment_ids = [db_id(p.id) for p in chosen.values()]
    adjustments, lines = _adjustments(session, payment_ids), _lines(session, payment_ids)
    numbers = _line_numbers(session, {c.attendance_id for c in claims})
    found: dict[int, list[PriorAdjudication]] = defaultdict(list)
    for claim_id, payment in chosen.items():
        claim, payment_id = by_id[claim_id], db_id(payment.id)
        cas = adjustments.get(payment_id, [])
        found[claim.attendance_id].append(
            PriorAdjudication(
                sequence=claim.payer_sequence,
                claim_id=claim_id,
                coverage_id=claim.coverage_id,
                payer_id=claim.payer_id,
                status_code=payment.status_code,
                charge=payment.charge,
                paid=payment.paid,
                patient_responsibility=payment.patient_responsibility,
                payer_claim_number=payment.payer_claim_number,
                adjudicated_on=paid_on[payment_id],
                adjustments=tuple(a for number, a, _ in cas if number is None),
                remarks=tuple(payment.remark_codes),
                lines=tuple(_prior_line(line, cas, numbers) for line in lines.get(payment_id, [])),
            )
        )
    return found


def answers(session: Session, claim_ids: list[int]) -> dict[int, Answer]:
    """Each claim's standing 835 answer (reversals applied), for the coordination-of-benefits report."""
    chosen, _ = _standing_payments(session, claim_ids)
    cas = _adjustments(session, [db_id(p.id) for p in chosen.values()])
    found = {}
    for claim_id, p in chosen.items():
        mine = cas.get(db_id(p.id), [])
        remarks = tuple(p.remark_codes) + tuple(m for _, _, line_remarks in mine for m in line_remarks)
        found[claim_id] = Answer(
            p.status_code,
            p.paid,
            p.patient_responsibility,
            crossed_over(p.status_code, remarks),
            any(a.reason == "22" and a.amount > 0 for _, a, _ in mine),
        )
    return found


def _standing_payments(
    session: Session, claim_ids: list[int]
) -> tuple[dict[int, ClaimPayment], dict[int, date | None]]:
    """Each claim's standing payment (reversals applied), and each payment's remittance date."""
    query = (
        select(ClaimPayment, col(Remittance.payment_date))
        .join(Remittance, col(ClaimPayment.remittance_id) == Remittance.id)
        .where(col(ClaimPayment.claim_id).in_(claim_ids))
        .order_by(col(ClaimPayment.id))
    )
    posted: dict[int, list[ClaimPayment]] = defaultdict(list)
    paid_on: dict[int, date | None] = {}
    for row, day in session.exec(query):
        posted[db_id(row.claim_id)].append(row)
        paid_on[db_id(row.id)] = day
    chosen = {claim_id: standing(rows) for claim_id, rows in posted.items()}
    return {claim_id: p for claim_id, p in chosen.items() if p is not None}, paid_on


def _prior_line(
    line: LinePayment, adjustments: list[tuple[str | None, Cas, tuple[str, ...]]], numbers: dict[str, int]
) -> PriorLine:
    control = line.line_control_number
    mine = [(cas, remarks) for number, cas, remarks in adjustments if number is not None and number == control]
    return PriorLine(
        numbers.get(control or ""),
        line.procedure_code,
        tuple(line.modifiers),
        line.charge,
        line.paid,
        Decimal(line.units),
        tuple(cas for cas, _ in mine),
        tuple(dict.fromkeys(m for _, remarks in mine for m in remarks)),
    )


def _adjustments(session: Session, payment_ids: list[int]) -> dict[int, list[tuple[str | None, Cas, tuple[str, ...]]]]:
    """Each payment's CAS in the 835's order: (line control number or None, the adjustment, its remarks)."""
    found: dict[int, list[tuple[str | None, Cas, tuple[str, ...]]]] = defaultdict(list)
    criteria = col(PaymentAdjustment.claim_payment_id).in_(payment_ids)
    for a in plain_rows(session, PaymentAdjustment, criteria, order_by=(PaymentAdjustment.id,)):
        cas = Cas(a.group_code, a.reason_code, a.amount)
        found[a.claim_payment_id].append((a.line_control_number, cas, tuple(a.remark_codes)))
    return found


def _lines(session: Session, payment_ids: list[int]) -> dict[int, list[LinePayment]]:
    found: dict[int, list[LinePayment]] = defaultdict(list)
    criteria = col(LinePayment.claim_payment_id).in_(payment_ids)
    for line in plain_rows(
        session, LinePayment, criteria, order_by=(LinePayment.claim_payment_id, LinePayment.position)
    ):
        found[line.claim_payment_id].append(line)
    return found


def _line_numbers(session: Session, attendance_ids: set[int]) -> dict[str, int]:
    """Line control number (REF*6R) -> line number, over every claim of these attendances: a line keeps its
    number from payer to payer, and a crossover's 835 quotes the primary claim's control numbers."""
    query = (
        select(ClaimLine.line_control_number, ClaimLine.line_number)
        .join(Claim, col(ClaimLine.claim_id) == Claim.id)
        .where(col(Claim.attendance_id).in_(sorted(attendance_ids)))
    )
    return {number: line for number, line in session.exec(query) if number}


def load_disputes(session: Session, patient_ids: set[int]) -> dict[int, list[Dispute]]:
    """Claims of these patients a payer denied with CARC 22 (another payer pays first), by patient."""
    query = (
        select(Claim.id)
        .join(ClaimPayment, col(ClaimPayment.claim_id) == Claim.id)
        .join(PaymentAdjustment, col(PaymentAdjustment.claim_payment_id) == ClaimPayment.id)
        .where(
            col(Claim.patient_id).in_(sorted(patient_ids)),
            PaymentAdjustment.reason_code == "22",
            col(PaymentAdjustment.amount) > 0,
        )
    )
    disputed = sorted({db_id(i) for i in session.exec(query)})  # no DISTINCT over a JSON column (PostgreSQL)
    found: dict[int, list[Dispute]] = defaultdict(list)
    for c in plain_rows(session, Claim, col(Claim.id).in_(disputed), order_by=(Claim.id,)) if disputed else []:
        found[c.patient_id].append(
            Dispute(db_id(c.id), c.payer_id, c.payer_sequence, c.service_date, tuple(c.coverage_order))
        )
    return found
