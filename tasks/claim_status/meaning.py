"""What a payer's 277 answer about a quiet claim means, and what a person must do about it. Pure: no
database; outcomes are values, code meanings and queues are data (config/reference/x12_codes.yaml).

    A0 A1 A2 A5      the payer has the claim                  -> accepted, wait
    A3 A4 A6 A7 A8   rejected or not found (D0, no answer too) -> MISSING_CLAIM: check it was sent, resend
    P*               pended                                     -> wait
    F1 F0 F3         paid or finalized: the 835 should follow   -> wait; MISSING_ERA after the grace period
    F2               denied                                     -> the denial's queue, the status code in words
    F4               forwarded to another payer                 -> wait
    R*               the payer asks for information             -> REQUESTED_INFO
    E1 E2            the payer could not answer now             -> ask again next time
    E0 E3 E4, other  the question was wrong or is not understood -> REVIEW
"""

from dataclasses import dataclass
from datetime import date, timedelta

from config.reference_data import X12Codes
from tasks.posting.meaning import REVIEW, QueueEntry
from tasks.x12.status_model import ClaimStatus

MISSING_CLAIM, MISSING_ERA, REQUESTED_INFO = "MISSING_CLAIM", "MISSING_ERA", "REQUESTED_INFO"
NOT_FOUND = frozenset({"A3", "A4", "A6", "A7", "A8", "D0"})
AWAITING_REMITTANCE = frozenset({"F0", "F1", "F3"})
TRY_AGAIN = frozenset({"E1", "E2"})


@dataclass(frozen=True, slots=True)
class Verdict:
    """What an answer means: an outcome word, whether the payer has the claim, a work item if a person must act."""

    outcome: str  # accepted, pended, awaiting_era, missing_era, missing_claim, denied, requested_info, retry, review
    payer_has_it: bool = False  # the claim may move to `accepted`
    never_reached: bool = False  # rejected or not found: the claim moves to `rejected`, its units go back
    entry: QueueEntry | None = None


def in_words(answer: ClaimStatus, codes: X12Codes) -> str:
    """Every status of an answer in words: 'F2 finalized, denied; 88 entity not eligible ...; subscriber'."""
    said = []
    for s in answer.statuses:
        words = [
            f"{s.category} {codes.claim_status_categories.get(s.category, 'category not in our tables')}",
            f"{s.status} {codes.claim_status_codes.get(s.status, 'status not in our tables')}",
        ]
        if s.entity:
            words.append(codes.status_entities.get(s.entity, f"entity {s.entity}"))
        said.append("; ".join(words))
    return " | ".join(said)


def status_codes(answer: ClaimStatus) -> tuple[str, ...]:
    """Each status as category:status[:entity]."""
    return tuple(f"{s.category}:{s.status}" + (f":{s.entity}" if s.entity else "") for s in answer.statuses)


def verdict(answer: ClaimStatus | None, codes: X12Codes, *, today: date, grace_days: int) -> Verdict:
    """What the payer's answer (None: the 277 did not name the claim) means on `today`."""
    if answer is None or not answer.statuses:
        return _not_found(("NOT-FOUND",), "the payer's answer did not name the claim")
    category, said, found = answer.category, in_words(answer, codes), status_codes(answer)
    family = category[:1]
    if category in codes.accepted_categories:
        return Verdict("accepted", payer_has_it=True)
    if category in NOT_FOUND:
        return _not_found(found, said)
    if family == "P":
        return Verdict("pended", payer_has_it=True)
    if category in AWAITING_REMITTANCE:
        return _paid(answer, found, said, today, grace_days)
    if category == "F2":
        queue = codes.queue_of_status(answer.statuses[0].status) or REVIEW
        words = f"277: the payer denied the claim ({said}); the 835 will give the reasons"
        return Verdict("denied", payer_has_it=True, entry=QueueEntry(queue, found, words))
    if family == "F":
        return Verdict("forwarded", payer_has_it=True)
    if family == "R":
        words = f"277: the payer asks for information ({said}); send it, then wait for the 835"
        return Verdict("requested_info", payer_has_it=True, entry=QueueEntry(REQUESTED_INFO, found, words))
    if category in TRY_AGAIN:
        return Verdict("retry")
    words = f"277: the payer could not answer the 276 ({said}); check the claim's member ID, dates and charge"
    return Verdict("review", entry=QueueEntry(REVIEW, found, words))


def _not_found(found: tuple[str, ...], said: str) -> Verdict:
    words = f"277: the payer has no claim to adjudicate ({said}); check it was sent and is right, then resend it"
    return Verdict("missing_claim", never_reached=True, entry=QueueEntry(MISSING_CLAIM, found, words))


def _paid(answer: ClaimStatus, found: tuple[str, ...], said: str, today: date, grace_days: int) -> Verdict:
    """Finalized: the 835 should come; once the grace period after the payment has passed, it is missing."""
    paid_on = answer.remitted_on or answer.adjudicated_on
    if paid_on is None or today - paid_on < timedelta(days=grace_days):
        return Verdict("awaiting_era", payer_has_it=True)
    amount = f"${answer.paid:,.2f}" if answer.paid is not None else "an amount not given"
    trace = f", trace {answer.remittance_trace}" if answer.remittance_trace else ""
    words = (
        f"277: the payer finalized the claim on {paid_on} and paid {amount}{trace} ({said}), but no 835 came in "
        f"{(today - paid_on).days} days: ask the payer (or the clearinghouse's ERA enrollment) to send the 835 again"
    )
    return Verdict("missing_era", payer_has_it=True, entry=QueueEntry(MISSING_ERA, found, words))
