"""The billing report from the lifecycle tables: claim facts, denials, holds, ledger, A/R."""

from collections import Counter, defaultdict
from datetime import date, tzinfo
from decimal import Decimal

from sqlmodel import Session, col, select

from config.reference_data import X12Codes
from config.settings import get_settings
from models.claims import Claim, ClaimEvent, Finding
from models.clock import local_date
from models.enums import ClaimStatus, Severity
from models.exchange import ClaimPayment, PaymentAdjustment, Remittance, WorkItem
from models.patients import Authorization
from models.types import db_id
from tasks.claim_status.quiet import quiet_claims
from tasks.preauth.accounting import balances
from tasks.reporting.cob import cob_metrics, cob_outcomes
from tasks.reporting.metrics import (
    ZERO,
    ClaimFacts,
    Metric,
    Report,
    authorization_burn,
    days_in_ar,
    first_pass,
    money,
    past_turnaround,
)

ADJUDICATED = {ClaimStatus.PAID, ClaimStatus.PARTIALLY_PAID, ClaimStatus.DENIED}


def billing_report(
    session: Session,
    codes: X12Codes,
    *,
    today: date,
    date_from: date | None = None,
    date_to: date | None = None,
    zone: tzinfo | None = None,
) -> Report:
    """Every metric over claims whose date of service is in the range; days are the practice's (or `zone`'s)."""
    claims = _claims(session, date_from, date_to)
    ids = [db_id(c.id) for c in claims]
    zone = zone or get_settings().timezone
    facts = _facts(session, claims, zone)
    report = Report()
    report.metrics += first_pass(facts) + money(facts) + cob_metrics(cob_outcomes(session, claims))
    ar, report.ar_buckets = days_in_ar(facts, today)
    report.metrics.append(ar)
    report.metrics += past_turnaround(_past_turnaround(session, set(ids), today, zone))
    report.metrics.append(_burn(session))
    report.metrics.append(_balancing(session))
    report.denials_by_queue, report.denials_by_carc = _denials(session, ids, codes)
    report.holds_by_rule = _holds(session, [db_id(c.id) for c in claims if c.status is ClaimStatus.ON_HOLD])
    return report


def _claims(session: Session, date_from: date | None, date_to: date | None) -> list[Claim]:
    query = select(Claim)
    if date_from is not None:
        query = query.where(col(Claim.service_date) >= date_from)
    if date_to is not None:
        query = query.where(col(Claim.service_date) <= date_to)
    return list(session.exec(query.order_by(col(Claim.id))))


def _facts(session: Session, claims: list[Claim], zone: tzinfo) -> list[ClaimFacts]:
    ids = [db_id(c.id) for c in claims]
    submitted: dict[int, date] = {}
    rejected: set[int] = set()
    first: dict[int, str] = {}
    events = select(ClaimEvent).where(col(ClaimEvent.claim_id).in_(ids)).order_by(col(ClaimEvent.id))
    for e in session.exec(events):
        if e.to_status is ClaimStatus.SUBMITTED:
            submitted.setdefault(e.claim_id, local_date(e.occurred_at, zone))
        elif e.to_status is ClaimStatus.REJECTED:
            rejected.add(e.claim_id)
        elif e.to_status in ADJUDICATED:
            first.setdefault(e.claim_id, e.to_status.value)
    money: dict[int, list[tuple[ClaimPayment, date | None]]] = defaultdict(list)
    payments = (
        select(ClaimPayment, col(Remittance.payment_date)).join(Remittance).where(col(ClaimPayment.claim_id).in_(ids))
    )
    for payment, paid_on in session.exec(payments):
        money[db_id(payment.claim_id)].append((payment, paid_on))
    return [_fact(c, submitted, rejected, first, money[db_id(c.id)]) for c in claims]


def _fact(
    c: Claim,
    submitted: dict[int, date],
    rejected: set[int],
    first: dict[int, str],
    payments: list[tuple[ClaimPayment, date | None]],
) -> ClaimFacts:
    claim_id = db_id(c.id)
    paid_dates = [d for p, d in payments if p.paid > 0 and d is not None]
    return ClaimFacts(
        claim_id,
        c.status.value,
        c.total_charge,
        submitted.get(claim_id),
        claim_id in rejected,
        first.get(claim_id),
        sum((p.paid for p, _ in payments), start=ZERO),
        sum((p.allowed for p, _ in payments), start=ZERO),
        sum((p.patient_responsibility for p, _ in payments), start=ZERO),
        min(paid_dates) if paid_dates else None,
    )


def _past_turnaround(session: Session, claim_ids: set[int], today: date, zone: tzinfo) -> list[Decimal]:
    from tasks.scrubbing.engine import profiles

    return [q.charge for q in quiet_claims(session, profiles(), today, zone) if q.claim_id in claim_ids]


def _denials(session: Session, claim_ids: list[int], codes: X12Codes) -> tuple[Counter[str], Counter[str]]:
    queues: Counter[str] = Counter(
        w.queue for w in session.exec(select(WorkItem).where(col(WorkItem.claim_id).in_(claim_ids)))
    )
    denied: set[tuple[str, int | None]] = set()  # (CARC, claim): a claim counts once per reason
    adjustments = (
        select(PaymentAdjustment, col(ClaimPayment.claim_id))
        .join(ClaimPayment)
        .where(col(ClaimPayment.claim_id).in_(claim_ids), col(PaymentAdjustment.amount) > 0)
    )
    for a, claim_id in session.exec(adjustments):
        if codes.is_denial(a.group_code, a.reason_code):
            denied.add((f"{a.group_code}-{a.reason_code}", claim_id))
    return queues, Counter(carc for carc, _ in denied)


def _holds(session: Session, held_ids: list[int]) -> Counter[str]:
    query = select(Finding.rule_id).where(
        col(Finding.claim_id).in_(held_ids), col(Finding.resolved_at).is_(None), Finding.severity == Severity.ERROR
    )
    return Counter(session.exec(query))


def _burn(session: Session) -> Metric:
    auths = list(session.exec(select(Authorization)))
    totals = list(balances(session, auths).values())
    return authorization_burn(
        sum(b.authorized for b in totals), sum(b.reserved for b in totals), sum(b.consumed for b in totals)
    )


def _balancing(session: Session) -> Metric:
    remittances = list(session.exec(select(Remittance.imbalances)))
    broken = sum(1 for problems in remittances if problems)
    return Metric(
        "835 payments out of balance",
        str(broken),
        f"835 payments (BPR/TRN) whose claims, lines or total fail the balancing rules, of {len(remittances)} posted",
    )
