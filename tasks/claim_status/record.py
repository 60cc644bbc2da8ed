"""Keep every 277 answer on its claim's status-inquiry timeline (ClaimStatusCheck) and act on what it means:
a claim the payer has moves to `accepted` with the payer's claim number; one it rejected or never found moves
to `rejected` (its units go back) and is filed under MISSING_CLAIM, unless the payer acknowledged it before
(then it stays, and the work item says to ask the payer before any resend); the rest of what needs a person is filed
once (an open work item with the same queue and codes is not filed again when the payer says it again)."""

from collections.abc import Callable
from dataclasses import replace
from datetime import date

from sqlmodel import Session, col, select

from config.profiles import PayerProfile
from models.claims import Claim
from models.clock import utcnow
from models.enums import ClaimStatus
from models.exchange import Acknowledgement, ClaimStatusCheck, WorkItem
from models.practice import Payer
from models.types import db_id
from tasks.claim_status.meaning import in_words, status_codes, verdict
from tasks.claim_status.quiet import follow_up_of
from tasks.posting.common import Poster
from tasks.posting.meaning import REVIEW, QueueEntry
from tasks.x12.status277 import write_277
from tasks.x12.status_model import ClaimStatus as Answer
from tasks.x12.status_model import StatusResponse

WITH_THE_PAYER = (ClaimStatus.SUBMITTED, ClaimStatus.ACCEPTED)
GraceOf = Callable[[int], int]  # a payer's `era_grace_days`, by payer record ID


def grace_by_payer(session: Session, profiles: dict[str, PayerProfile]) -> GraceOf:
    """Each payer's `era_grace_days` from its profile (the default profile's for an unknown payer)."""
    grace = {db_id(p.id): follow_up_of(profiles, p).era_grace_days for p in session.exec(select(Payer))}
    default = profiles["_default"].follow_up.era_grace_days
    return lambda payer_id: grace.get(payer_id, default)


def own_277(response: StatusResponse, answer: Answer) -> str:
    """The 277 of one claim: the payer's envelope and its answer about that claim alone (a payer's answer
    about many patients is never copied onto each of their claims)."""
    return write_277(replace(response, claims=(answer,)))


def apply_answer(
    poster: Poster, check: ClaimStatusCheck, answer: Answer | None, raw: str | None, today: date, grace_of: GraceOf
) -> str:
    """Record one answer (None: the payer's 277 did not name the claim) on its check and act on it; the outcome."""
    claim = poster.row(_claim(poster, check.claim_id))
    found = verdict(answer, poster.codes, today=today, grace_days=grace_of(claim.payer_id))
    _keep(check, answer, raw, found.outcome)
    poster.posting.statuses[f"answer_{found.outcome}"] += 1
    if claim.status not in WITH_THE_PAYER:
        return found.outcome  # an 835 or a rejection came first: the answer is history only
    said = f"277 {' '.join(status_codes(answer)) if answer else 'without the claim'}"
    entry = found.entry
    if found.never_reached:
        entry = _not_found(poster, claim, said, entry)
    elif found.payer_has_it:
        poster.payer_claim_number(claim, answer.payer_claim_number if answer else None)
        if claim.status is ClaimStatus.SUBMITTED:
            poster.move(claim, ClaimStatus.ACCEPTED, said[:200])
    if entry is not None and not _already_open(poster, claim, entry):
        poster.file(entry, claim.id)
    return found.outcome


def _not_found(poster: Poster, claim: Claim, said: str, entry: QueueEntry | None) -> QueueEntry | None:
    """A payer that says it has no such claim: the claim is rejected (units back, resend after checking) only
    when nothing says the payer ever had it. Once its 277CA accepted the claim, or the payer gave it a claim
    number, "not found" is more likely a search by another member ID or number than a lost claim, and a
    resend could bill the service twice: the claim stays where it is and a person asks the payer first."""
    if claim.status is ClaimStatus.SUBMITTED and not claim.payer_claim_number:
        if poster.move(claim, ClaimStatus.REJECTED, said[:200]):
            poster.release(claim)
        return entry
    if entry is None:  # pragma: no cover - a not-found verdict always carries its work item
        return None
    number = f" as {claim.payer_claim_number}" if claim.payer_claim_number else ""
    words = (
        f"{said}: the payer says it has no such claim, yet it acknowledged it before{number} (277CA accepted): "
        "call the payer before resending anything, a resend may bill the service twice"
    )
    return QueueEntry(entry.queue, entry.codes, words)


def _claim(poster: Poster, claim_id: int) -> Claim:
    claim = poster.session.get(Claim, claim_id)
    if claim is None:  # pragma: no cover - a check always names a claim (foreign key)
        raise ValueError(f"claim {claim_id} is gone")
    return claim


def _keep(check: ClaimStatusCheck, answer: Answer | None, raw: str | None, outcome: str) -> None:
    check.answered_at, check.outcome, check.raw = utcnow(), outcome, raw
    if answer is not None and answer.statuses:
        first = answer.statuses[0]
        check.category, check.status_code, check.entity = first.category, first.status, first.entity
        check.statuses = list(status_codes(answer))
        check.payer_claim_number, check.paid, check.adjudicated_on = (
            answer.payer_claim_number,
            answer.paid,
            answer.remitted_on or answer.adjudicated_on,
        )


def _already_open(poster: Poster, claim: Claim, entry: QueueEntry) -> bool:
    query = select(WorkItem.codes).where(
        WorkItem.claim_id == claim.id, WorkItem.queue == entry.queue, col(WorkItem.resolved_at).is_(None)
    )
    return any(list(codes) == list(entry.codes) for codes in poster.session.exec(query))


def apply_status_report(
    poster: Poster, response: StatusResponse, report_id: str, raw: str, today: date, grace_of: GraceOf
) -> None:
    """A 277 that came back as a report (a mailbox's answer to our 276 batch): each claim to its question by
    trace number (a question it leaves out stays asked, and is asked again after `status_every_days`)."""
    traces = {a.trace_number for a in response.claims}
    checks = {c.trace_number: c for c in _checks(poster, traces)}
    for answer in response.claims:
        check = checks.get(answer.trace_number)
        if check is None:
            said = f"277 answers a question groupbill never asked ({in_words(answer, poster.codes)})"
            poster.file(QueueEntry(REVIEW, status_codes(answer), said), None)
        elif check.answered_at is None:
            apply_answer(poster, check, answer, own_277(response, answer), today, grace_of)
    poster.session.add(Acknowledgement(document_id=report_id, kind="277", raw=raw))


def _checks(poster: Poster, traces: set[str]) -> list[ClaimStatusCheck]:
    if not traces:
        return []
    query = select(ClaimStatusCheck).where(col(ClaimStatusCheck.trace_number).in_(sorted(traces)))
    return list(poster.session.exec(query))
