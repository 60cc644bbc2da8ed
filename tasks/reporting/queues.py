"""Work queues as staff see them: open work items, and claims near or past timely filing."""

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from config.profiles import PayerProfile, TimelyFiling
from models.claims import Claim
from models.enums import ClaimStatus, PayerSequence
from models.exchange import WorkItem
from models.practice import Payer
from models.types import db_id
from tasks.cob.load import load_priors
from tasks.cob.prior import PriorAdjudication
from tasks.cob.timely import secondary_deadline

NOT_YET_WITH_PAYER = (ClaimStatus.DRAFT, ClaimStatus.ON_HOLD, ClaimStatus.READY, ClaimStatus.REJECTED)


@dataclass(frozen=True, slots=True)
class TimelyRow:
    """A claim the payer has not accepted yet, and its filing clock."""

    claim_id: int
    status: str
    payer_id: str
    service_date: date
    limit_days: int
    days_left: int
    state: str  # "near" (inside the warning window) or "past"


def timely_state(service_date: date, today: date, limit_days: int, warn_at: float) -> tuple[int, str | None]:
    """(days left, "past" / "near" / None) for a date of service under a payer's filing limit."""
    days_left = limit_days - (today - service_date).days
    if days_left < 0:
        return days_left, "past"
    return days_left, "near" if (today - service_date).days >= limit_days * warn_at else None


def timely_filing_queue(session: Session, profiles: dict[str, PayerProfile], today: date) -> list[TimelyRow]:
    """Claims not yet with the payer whose filing limit is near or past, fewest days left first (a secondary's
    counted from the prior payer's remittance)."""
    payers = {db_id(p.id): p for p in session.exec(select(Payer))}
    claims = list(session.exec(select(Claim).where(col(Claim.status).in_(NOT_YET_WITH_PAYER))))
    priors = load_priors(session, claims)
    rows = []
    for claim in claims:
        payer = payers[claim.payer_id]
        profile = profiles.get(payer.profile or "_default") or profiles["_default"]
        limit = profile.timely_filing
        clock = _clock(claim, limit, priors.get(db_id(claim.id), {}))
        if clock is None:
            continue
        start, limit_days = clock
        days_left, state = timely_state(start, today, limit_days, limit.warn_at)
        if state is not None:
            rows.append(
                TimelyRow(
                    db_id(claim.id),
                    claim.status.value,
                    payer.source_id,
                    claim.service_date,
                    limit.days,
                    days_left,
                    state,
                )
            )
    return sorted(rows, key=lambda r: (r.days_left, r.claim_id))


def _clock(
    claim: Claim, limit: TimelyFiling, priors: dict[PayerSequence, PriorAdjudication]
) -> tuple[date, int] | None:
    """(when the filing clock started, its length in days); None for a secondary still awaiting the prior 835."""
    if claim.payer_sequence is PayerSequence.PRIMARY:
        return claim.service_date, limit.days
    prior = priors.get(PayerSequence.at(claim.payer_sequence.rank - 1))
    if prior is None or prior.adjudicated_on is None:
        return None
    deadline = secondary_deadline(limit, claim.service_date, prior.adjudicated_on)
    return prior.adjudicated_on, (deadline - prior.adjudicated_on).days


def open_work(session: Session, queue: str | None = None) -> list[WorkItem]:
    """Open work items, oldest first (one queue, or all)."""
    query = select(WorkItem).where(col(WorkItem.resolved_at).is_(None))
    if queue is not None:
        query = query.where(WorkItem.queue == queue)
    return list(session.exec(query.order_by(col(WorkItem.id))))
