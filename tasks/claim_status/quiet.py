"""Claims that went quiet: sent, but no 277CA within the payer profile's `ack_within_days` of sending, or
no 835 within its `paid_within_days`; and which of them are due for a question (asked at most once per
`status_every_days`). Reads the billing database; decides nothing else."""

from dataclasses import dataclass, replace
from datetime import date, tzinfo
from decimal import Decimal

from sqlmodel import Session, col, select

from config.profiles import FollowUp, PayerProfile
from models.claims import Claim
from models.clock import local_date
from models.db import in_chunks
from models.enums import ClaimStatus
from models.exchange import ClaimStatusCheck, SubmissionBatch
from models.practice import Payer
from models.types import db_id

NO_ACK, NO_REMITTANCE, ASKED = "no-277ca", "no-835", "asked"
WITH_THE_PAYER = (ClaimStatus.SUBMITTED, ClaimStatus.ACCEPTED)


@dataclass(frozen=True, slots=True)
class QuietClaim:
    """A sent claim past its payer's turnaround: why, since when, for how much (IDs, dates and money)."""

    claim_id: int
    practice_id: int
    payer_id: int
    payer: str  # the payer's bundle ID
    status: str
    sent_on: date
    days_waiting: int
    reason: str  # no-277ca or no-835
    charge: Decimal
    last_asked_on: date | None = None
    last_answer: str | None = None  # the category:status of the latest answer


def follow_up_of(profiles: dict[str, PayerProfile], payer: Payer) -> FollowUp:
    """The payer profile's follow-up policy (the default profile's for a payer without one)."""
    return (profiles.get(payer.profile or "_default") or profiles["_default"]).follow_up


def quiet_claims(session: Session, profiles: dict[str, PayerProfile], today: date, zone: tzinfo) -> list[QuietClaim]:
    """Every sent claim still with its payer past the turnaround its payer profile sets, the longest waiting first."""
    payers = {db_id(p.id): p for p in session.exec(select(Payer))}
    query = (
        select(Claim, col(SubmissionBatch.sent_at))
        .join(SubmissionBatch, col(Claim.batch_id) == SubmissionBatch.id)
        .where(col(Claim.status).in_(WITH_THE_PAYER), col(SubmissionBatch.sent_at).is_not(None))
        .order_by(col(Claim.id))
    )
    found = []
    for claim, sent_at in session.exec(query):
        if sent_at is None:  # filtered out above; the type checker does not know
            continue
        payer = payers[claim.payer_id]
        sent_on = local_date(sent_at, zone)
        reason = _reason(claim, follow_up_of(profiles, payer), (today - sent_on).days)
        if reason is not None:
            days = (today - sent_on).days
            found.append(
                QuietClaim(
                    db_id(claim.id),
                    claim.practice_id,
                    claim.payer_id,
                    payer.source_id,
                    claim.status.value,
                    sent_on,
                    days,
                    reason,
                    claim.total_charge,
                )
            )
    latest = last_answers(session, [q.claim_id for q in found])
    found = [_with_last(q, latest.get(q.claim_id)) for q in found]
    return sorted(found, key=lambda q: (-q.days_waiting, q.claim_id))


def _reason(claim: Claim, policy: FollowUp, days: int) -> str | None:
    """Why the claim is quiet after `days` since it was sent, or None."""
    if claim.status is ClaimStatus.SUBMITTED and days > policy.ack_within_days:
        return NO_ACK
    if days > policy.paid_within_days:
        return NO_REMITTANCE
    return None


def last_answers(session: Session, claim_ids: list[int]) -> dict[int, ClaimStatusCheck]:
    """Each claim's latest question that counts (answered, or left in a mailbox), by claim."""
    latest: dict[int, ClaimStatusCheck] = {}
    for ids in in_chunks(claim_ids):
        query = (
            select(ClaimStatusCheck)
            .where(col(ClaimStatusCheck.claim_id).in_(ids), col(ClaimStatusCheck.outcome).is_not(None))
            .order_by(col(ClaimStatusCheck.id))
        )
        latest.update((check.claim_id, check) for check in session.exec(query))
    return latest


def _with_last(q: QuietClaim, check: ClaimStatusCheck | None) -> QuietClaim:
    if check is None:
        return q
    answer = f"{check.category}:{check.status_code}" if check.category else check.outcome
    return replace(q, last_asked_on=check.asked_on, last_answer=answer)


def due(quiet: list[QuietClaim], session: Session, profiles: dict[str, PayerProfile], today: date) -> list[QuietClaim]:
    """The quiet claims whose payer was not asked about them within the profile's `status_every_days`."""
    payers = {db_id(p.id): p for p in session.exec(select(Payer))}
    return [
        q
        for q in quiet
        if q.last_asked_on is None
        or (today - q.last_asked_on).days >= follow_up_of(profiles, payers[q.payer_id]).status_every_days
    ]
