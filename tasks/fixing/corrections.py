"""Re-scrub, resend, correct and void one claim. Wrong requests (a paid claim cannot be resent) are
input errors with one line naming the claim; what the payer later says is, as ever, data."""

from datetime import date

from sqlmodel import Session, col, select

from models.claims import Claim, ClaimEvent, ClaimLine
from models.clock import utcnow
from models.enums import ClaimFrequency, ClaimStatus
from models.errors import InputError
from models.exchange import WorkItem
from models.types import db_id
from tasks.claims.drafting import patient_control_number
from tasks.cob.next_claim import live_successor
from tasks.cob.prior_changed import flag_later_payers
from tasks.scrubbing.run import SCRUBBABLE, scrub_claims

ADJUDICATED = (ClaimStatus.PAID, ClaimStatus.PARTIALLY_PAID, ClaimStatus.DENIED)
ACTIONS = ("rescrub", "resend", "correct", "void")


def claim_or_error(session: Session, claim_id: int) -> Claim:
    """The claim, or an InputError naming the ID."""
    claim = session.get(Claim, claim_id)
    if claim is None:
        raise InputError(f"claim {claim_id}: no such claim")
    return claim


def rescrub(session: Session, claim_id: int, *, today: date, source: str) -> ClaimStatus:
    """Check one unsent claim again after its data was fixed; its new status (ready or on_hold)."""
    claim = claim_or_error(session, claim_id)
    if claim.status not in SCRUBBABLE:
        raise InputError(f"claim {claim_id}: is {claim.status.value}; only unsent claims are re-scrubbed")
    report = scrub_claims(session, [claim_id], today=today, source=source)
    return report.results[0].status


def resend(session: Session, claim_id: int, *, today: date, source: str) -> int:
    """A rejected claim never reached the payer: a new original claim (scrubbed), the rejection's work closed."""
    claim = claim_or_error(session, claim_id)
    if claim.status is not ClaimStatus.REJECTED:
        raise InputError(f"claim {claim_id}: is {claim.status.value}; only rejected claims are resent")
    live = session.exec(
        select(Claim.id).where(
            Claim.attendance_id == claim.attendance_id,
            Claim.payer_sequence == claim.payer_sequence,
            Claim.frequency == ClaimFrequency.ORIGINAL,
            col(Claim.status) != ClaimStatus.REJECTED,
        )
    ).first()
    if live is not None:
        raise InputError(f"claim {claim_id}: already resent as claim {live}")
    return _successor(session, claim, ClaimFrequency.ORIGINAL, today=today, source=source)


def correct(session: Session, claim_id: int, *, today: date, source: str) -> int:
    """A replacement claim (frequency 7, REF*F8 = the payer's claim number) for an adjudicated claim; a later
    payer's claim billed from it is put in the COORDINATION_OF_BENEFITS queue."""
    claim = _replaceable(session, claim_id, "corrected")
    flag_later_payers(session, claim, ClaimFrequency.REPLACEMENT, source=source)
    return _successor(session, claim, ClaimFrequency.REPLACEMENT, today=today, source=source)


def void(session: Session, claim_id: int, *, today: date, source: str) -> int:
    """A void claim (frequency 8) that takes back an adjudicated claim (later payers' claims queued, as above)."""
    claim = _replaceable(session, claim_id, "voided")
    flag_later_payers(session, claim, ClaimFrequency.VOID, source=source)
    return _successor(session, claim, ClaimFrequency.VOID, today=today, source=source)


def _replaceable(session: Session, claim_id: int, verb: str) -> Claim:
    claim = claim_or_error(session, claim_id)
    if claim.status not in (*ADJUDICATED, ClaimStatus.ACCEPTED):
        raise InputError(f"claim {claim_id}: is {claim.status.value}; only accepted or adjudicated claims are {verb}")
    if not claim.payer_claim_number:
        raise InputError(f"claim {claim_id}: has no payer claim number yet (wait for the 277CA or 835)")
    pending = live_successor(session, claim_id)
    if pending is not None:
        raise InputError(f"claim {claim_id}: claim {pending.id} already replaces it")
    return claim


def _successor(session: Session, claim: Claim, frequency: ClaimFrequency, *, today: date, source: str) -> int:
    """Copy the claim and its lines as a new draft with this frequency, close the old work, scrub the new one."""
    fields = claim.model_dump(
        exclude={
            "id",
            "batch_id",
            "patient_control_number",
            "payer_claim_number",
            "status",
            "status_changed_at",
            "ruleset_hash",
            "created_at",
            "frequency",
            "original_claim_id",
            "crossover",  # a correction of a forwarded claim is sent by us
        }
    )
    successor = Claim(**fields, frequency=frequency, original_claim_id=claim.id)
    session.add(successor)
    session.flush()
    new_id = db_id(successor.id)
    pcn = successor.patient_control_number = patient_control_number(new_id)
    lines = session.exec(select(ClaimLine).where(ClaimLine.claim_id == claim.id).order_by(col(ClaimLine.line_number)))
    for line in lines:
        copy = line.model_dump(exclude={"id", "claim_id", "line_control_number"})
        session.add(ClaimLine(**copy, claim_id=new_id, line_control_number=f"{pcn}L{line.line_number}"))
    reason = {ClaimFrequency.ORIGINAL: "resent", ClaimFrequency.REPLACEMENT: "corrects", ClaimFrequency.VOID: "voids"}
    event = ClaimEvent(
        claim_id=new_id, to_status=ClaimStatus.DRAFT, source=source, reason=f"{reason[frequency]} claim {claim.id}"
    )
    session.add(event)
    for item in session.exec(
        select(WorkItem).where(WorkItem.claim_id == claim.id, col(WorkItem.resolved_at).is_(None))
    ):
        item.resolved_at = utcnow()
    session.flush()
    scrub_claims(session, [new_id], today=today, source=source)
    return new_id
