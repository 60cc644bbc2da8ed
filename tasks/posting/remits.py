"""Apply an 835: match claims by patient control number and lines by REF*6R, post payments and every
adjustment, set paid / partially_paid / denied, file denials under their queues, release units where a
denial returns them. A claim payment that matches nothing goes to UNMATCHED_REMITTANCE, never dropped.
The same payer and trace number is posted once."""

from sqlmodel import col, select

from models.claims import Claim, ClaimLine
from models.exchange import ClaimPayment, PaymentAdjustment, Remittance
from models.types import db_id
from tasks.posting.common import UNMATCHED, Poster, claims_by_control_number
from tasks.posting.meaning import REVIEW, QueueEntry, adjudication
from tasks.x12 import remit835_model as r


def apply_835(poster: Poster, remittance: r.Remittance, report_id: str, raw: str) -> None:
    """Post every payment (BPR/TRN) of an 835 not posted before."""
    for payment in remittance.payments:
        if _already_posted(poster, payment):
            poster.posting.duplicate_remittances += 1
            continue
        imbalances = payment.imbalances()
        row = Remittance(
            payer_identifier=payment.payer_id,
            trace_number=payment.trace_number,
            payment_amount=payment.payment_amount,
            payment_method=payment.payment_method,
            payment_date=payment.payment_date,
            report_id=report_id,
            imbalances=imbalances,
            raw=raw,
        )
        poster.session.add(row)
        poster.session.flush()
        poster.posting.remittances += 1
        poster.posting.imbalanced += bool(imbalances)
        claims = claims_by_control_number(poster.session, {c.patient_control_number for c in payment.claims})
        for claim_payment in payment.claims:
            _post_claim(poster, db_id(row.id), claim_payment, claims.get(claim_payment.patient_control_number))


def _already_posted(poster: Poster, payment: r.Payment) -> bool:
    query = select(Remittance.id).where(
        Remittance.payer_identifier == payment.payer_id, Remittance.trace_number == payment.trace_number
    )
    return poster.session.exec(query).first() is not None


def _post_claim(poster: Poster, remittance_id: int, paid: r.ClaimPayment, claim: Claim | None) -> None:
    meaning = adjudication(paid, poster.codes)
    row = ClaimPayment(
        remittance_id=remittance_id,
        claim_id=claim.id if claim else None,
        patient_control_number=paid.patient_control_number,
        status_code=paid.status_code,
        charge=paid.charge,
        paid=paid.paid,
        patient_responsibility=paid.patient_responsibility,
        allowed=meaning.allowed,
        payer_claim_number=paid.payer_claim_number,
    )
    poster.session.add(row)
    poster.session.flush()
    poster.posting.claim_payments += 1
    _post_adjustments(poster, db_id(row.id), paid)
    if claim is None:
        poster.posting.unmatched += 1
        said = f"835 claim {paid.patient_control_number} (status {paid.status_code}) matches none of our claims"
        poster.file(QueueEntry(UNMATCHED, (f"CLP02-{paid.status_code}",), said), None, row.id)
        return
    _check_lines(poster, claim, paid)
    claim.payer_claim_number = paid.payer_claim_number or claim.payer_claim_number
    if meaning.status is not None:
        poster.move(claim, meaning.status, f"835 CLP02 {paid.status_code}")
    for entry in meaning.entries:
        poster.file(entry, claim.id, row.id)
    if meaning.returns_units(poster.codes):
        poster.release(claim)


def _post_adjustments(poster: Poster, payment_id: int, paid: r.ClaimPayment) -> None:
    """Every CAS at claim level and on each line, with the line's remark codes."""
    rows: list[tuple[str | None, r.Adjustment, tuple[str, ...]]] = [(None, a, ()) for a in paid.adjustments]
    rows += [(line.line_control_number, a, line.remarks) for line in paid.lines for a in line.adjustments]
    for line_control, adjustment, remarks in rows:
        poster.session.add(
            PaymentAdjustment(
                claim_payment_id=payment_id,
                line_control_number=line_control,
                group_code=adjustment.group,
                reason_code=adjustment.reason,
                amount=adjustment.amount,
                remark_codes=list(remarks),
            )
        )


def _check_lines(poster: Poster, claim: Claim, paid: r.ClaimPayment) -> None:
    """Lines are matched by REF*6R; one we never sent on this claim is filed for review."""
    ours = set(poster.session.exec(select(ClaimLine.line_control_number).where(col(ClaimLine.claim_id) == claim.id)))
    strangers = [line.line_control_number for line in paid.lines if line.line_control_number not in ours]
    if strangers:
        said = f"835 lines {', '.join(str(s) for s in strangers)} are not lines of this claim"
        poster.file(QueueEntry(REVIEW, ("REF-6R",), said), claim.id)
