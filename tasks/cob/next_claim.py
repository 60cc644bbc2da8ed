"""Make the next payer's claim for a service: the same attendance, lines and charges, billed to another
coverage at its place in the payer order. The scrubber codes it for its payer and decides if it goes."""

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from models.claims import Claim, ClaimEvent, ClaimLine
from models.enums import ClaimFrequency, ClaimStatus, PayerSequence
from models.lifecycle import TERMINAL_STATUSES
from models.patients import Coverage
from models.types import db_id
from tasks.claims.drafting import patient_control_number

COPIED = (
    "practice_id",
    "attendance_id",
    "session_id",
    "patient_id",
    "rendering_provider_id",
    "service_date",
    "place_of_service",
    "diagnoses",
    "total_charge",
)
LIVE_ORIGINAL_EXCLUDES = (ClaimStatus.REJECTED, ClaimStatus.CORRECTED)  # as models/claims.py's unique indexes


@dataclass(frozen=True, slots=True)
class NextClaim:
    """Which claim to copy, and how the copy bills: to which coverage, at which sequence, in what status."""

    source: Claim  # the claim whose service and lines are copied
    coverage: Coverage
    sequence: PayerSequence
    order: list[int]  # the payer order (coverage IDs) on the date of service
    status: ClaimStatus = ClaimStatus.DRAFT
    crossover: bool = False
    prior_claim_id: int | None = None
    replaces: int | None = None  # a rebill's denied claim
    reason: str = "made from the prior payer's 835"


def live_original(session: Session, attendance_id: int, sequence: PayerSequence) -> Claim | None:
    """The attendance's live original claim at this payer sequence, if any (the schema allows one)."""
    query = select(Claim).where(
        Claim.attendance_id == attendance_id,
        Claim.payer_sequence == sequence,
        Claim.frequency == ClaimFrequency.ORIGINAL,
        col(Claim.status).notin_(LIVE_ORIGINAL_EXCLUDES),
    )
    return session.exec(query).first()


def live_successor(session: Session, claim_id: int) -> Claim | None:
    """A claim that replaces `claim_id` and is still live (a resend, correction, void or rebill; one allowed)."""
    query = select(Claim).where(Claim.original_claim_id == claim_id, col(Claim.status).notin_(TERMINAL_STATUSES))
    return session.exec(query).first()


def blocking_claim(session: Session, spec: NextClaim) -> Claim | None:
    """The live claim that leaves no room for `spec` under the schema's uniqueness: an original at its
    attendance and sequence, or (for a rebill) what already replaces the claim it replaces."""
    found = live_original(session, spec.source.attendance_id, spec.sequence)
    if found is None and spec.replaces is not None:
        found = live_successor(session, spec.replaces)
    return found


def make_claim(session: Session, spec: NextClaim, *, source: str) -> Claim:
    """Insert the new claim, its lines (new control numbers) and its first event; the caller commits."""
    fields: dict[str, Any] = {name: getattr(spec.source, name) for name in COPIED}
    claim = Claim(
        **fields,
        coverage_id=db_id(spec.coverage.id),
        payer_id=spec.coverage.payer_id,
        payer_sequence=spec.sequence,
        prior_claim_id=spec.prior_claim_id,
        original_claim_id=spec.replaces,
        crossover=spec.crossover,
        coverage_order=list(spec.order),
        frequency=ClaimFrequency.ORIGINAL,
        status=spec.status,
    )
    session.add(claim)
    session.flush()
    claim_id = db_id(claim.id)
    pcn = claim.patient_control_number = patient_control_number(claim_id)
    lines = session.exec(
        select(ClaimLine).where(ClaimLine.claim_id == spec.source.id).order_by(col(ClaimLine.line_number))
    )
    for line in lines:
        copy = line.model_dump(exclude={"id", "claim_id", "line_control_number"})
        session.add(ClaimLine(**copy, claim_id=claim_id, line_control_number=f"{pcn}L{line.line_number}"))
    session.add(ClaimEvent(claim_id=claim_id, to_status=spec.status, source=source, reason=spec.reason[:200]))
    session.flush()
    return claim
