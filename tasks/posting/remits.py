"""Apply an 835: match claims by patient control number and lines by REF*6R, post payments and every
adjustment, set paid / partially_paid / denied, file denials under their queues, release units where a
denial returns them. A claim payment that matches nothing goes to UNMATCHED_REMITTANCE, never dropped.
The same payer and trace number is posted once."""

from datetime import datetime
from typing import Any

from sqlmodel import col, select

from models.claims import Claim, ClaimLine
from models.clock import utcnow
from models.db import insert_returning_ids, insert_rows
from models.enums import ClaimStatus
from models.exchange import ClaimPayment, LinePayment, PaymentAdjustment, Remittance
from models.types import cents, db_id
from tasks.cob.after_remit import Coordinator
from tasks.posting.common import UNMATCHED, Poster
from tasks.posting.meaning import REVIEW, Adjudication, QueueEntry, adjudication
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
        claims = poster.claims({c.patient_control_number for c in payment.claims})
        _post_claims(poster, db_id(row.id), payment, claims)


def _already_posted(poster: Poster, payment: r.Payment) -> bool:
    query = select(Remittance.id).where(
        Remittance.payer_identifier == payment.payer_id, Remittance.trace_number == payment.trace_number
    )
    return poster.session.exec(query).first() is not None


def _post_claims(poster: Poster, remittance_id: int, payment: r.Payment, claims: dict[str, Claim]) -> None:
    """One payment's claims: their payment rows, adjustments and lines in one insert each, then line checks,
    moves, queues, and what the other payers of each service get (tasks/cob).

    Plain multi-row inserts, not a model object per row (an 835 of 5,000 claims has ~15,000 rows)."""
    paid = payment.claims
    cob = Coordinator(poster)
    ours = [
        cob.route(p, payment.payer_id, claims.get(p.patient_control_number), poster.source) for p in paid
    ]  # an 835 from the next payer about a claim Medicare forwarded posts to that payer's claim
    cob.preload(ours)
    meanings = [adjudication(p, poster.codes) for p in paid]
    now = utcnow()
    rows = [_payment_row(remittance_id, p, c, m, now) for p, c, m in zip(paid, ours, meanings, strict=True)]
    payment_ids = insert_returning_ids(poster.session, ClaimPayment, rows)
    adjustments = [row for i, p in zip(payment_ids, paid, strict=True) for row in _adjustment_rows(i, p)]
    insert_rows(poster.session, PaymentAdjustment, adjustments)
    insert_rows(poster.session, LinePayment, [x for i, p in zip(payment_ids, paid, strict=True) for x in _lines(i, p)])
    lines = _line_numbers(poster, [i for c in ours if c for i in (c.id, c.prior_claim_id if c.crossover else None)])
    for payment_id, claim_paid, meaning, claim in zip(payment_ids, paid, meanings, ours, strict=True):
        poster.posting.claim_payments += 1
        stands = _apply_to_claim(poster, payment_id, claim_paid, meaning, claim, lines)
        if claim is not None and stands:  # a claim that could not take the answer (voided, say) makes nothing
            cob.after_payment(claim, claim_paid, meaning, poster.source)


def _payment_row(
    remittance_id: int, paid: r.ClaimPayment, claim: Claim | None, meaning: Adjudication, now: datetime
) -> dict[str, Any]:
    return {
        "remittance_id": remittance_id,
        "claim_id": claim.id if claim else None,
        "patient_control_number": paid.patient_control_number,
        "status_code": paid.status_code,
        "charge": paid.charge,
        "paid": paid.paid,
        "patient_responsibility": paid.patient_responsibility,
        "allowed": meaning.allowed,
        "payer_claim_number": paid.payer_claim_number,
        "posted_at": now,
        "remark_codes": list(paid.remarks),
    }


def _lines(payment_id: int, paid: r.ClaimPayment) -> list[dict[str, Any]]:
    """Each SVC as the payer adjudicated it: what the next payer's 2430 repeats."""
    return [
        {
            "claim_payment_id": payment_id,
            "position": n,
            "line_control_number": line.line_control_number,
            "procedure_code": line.procedure_code,
            "modifiers": list(line.modifiers),
            "charge": line.charge,
            "paid": line.paid,
            "units": f"{line.units.normalize():f}",
        }
        for n, line in enumerate(paid.lines, start=1)
    ]


def _apply_to_claim(
    poster: Poster,
    payment_id: int,
    paid: r.ClaimPayment,
    meaning: Adjudication,
    claim: Claim | None,
    lines: dict[int, set[str | None]],
) -> bool:
    """Post one claim payment; False when it matches no claim or the claim's lifecycle refuses its status."""
    if claim is None:
        poster.posting.unmatched += 1
        said = f"835 claim {paid.patient_control_number} (status {paid.status_code}) matches none of our claims"
        poster.file(QueueEntry(UNMATCHED, (f"CLP02-{paid.status_code}",), said), None, payment_id)
        return False
    ours = lines.get(db_id(claim.id), set())
    if claim.crossover and claim.prior_claim_id is not None:  # the forwarded claim's lines are the prior claim's
        ours = ours | lines.get(claim.prior_claim_id, set())
    _check_lines(poster, claim, paid, ours)
    poster.payer_claim_number(claim, paid.payer_claim_number)
    stands = meaning.status is None  # a reversal moves nothing
    if meaning.status is not None:  # moved, or already there (the same answer again): not refused
        stands = poster.move(claim, meaning.status, f"835 CLP02 {paid.status_code}") or claim.status is meaning.status
    poster.posting.paid_cents += cents(paid.paid)
    if meaning.status is ClaimStatus.DENIED:
        poster.posting.denied_cents += cents(paid.charge)
    for entry in meaning.entries:
        poster.file(entry, claim.id, payment_id)
    if meaning.returns_units(poster.codes):
        poster.release(claim)
    return stands


def _adjustment_rows(payment_id: int, paid: r.ClaimPayment) -> list[dict[str, Any]]:
    """Every CAS at claim level and on each line, with the line's remark codes."""
    found: list[tuple[str | None, r.Adjustment, tuple[str, ...]]] = [(None, a, ()) for a in paid.adjustments]
    found += [(line.line_control_number, a, line.remarks) for line in paid.lines for a in line.adjustments]
    return [
        {
            "claim_payment_id": payment_id,
            "line_control_number": line_control,
            "group_code": adjustment.group,
            "reason_code": adjustment.reason,
            "amount": adjustment.amount,
            "remark_codes": list(remarks),
        }
        for line_control, adjustment, remarks in found
    ]


def _line_numbers(poster: Poster, claim_ids: list[int | None]) -> dict[int, set[str | None]]:
    """The REF*6R line control numbers we sent, by claim (one query for the whole payment)."""
    found: dict[int, set[str | None]] = {}
    query = select(ClaimLine.claim_id, ClaimLine.line_control_number).where(col(ClaimLine.claim_id).in_(claim_ids))
    for claim_id, number in poster.session.exec(query):
        found.setdefault(claim_id, set()).add(number)
    return found


def _check_lines(poster: Poster, claim: Claim, paid: r.ClaimPayment, ours: set[str | None]) -> None:
    """Lines are matched by REF*6R; one we never sent on this claim is filed for review."""
    strangers = [line.line_control_number for line in paid.lines if line.line_control_number not in ours]
    if strangers:
        said = f"835 lines {', '.join(str(s) for s in strangers)} are not lines of this claim"
        poster.file(QueueEntry(REVIEW, ("REF-6R",), said), claim.id)
