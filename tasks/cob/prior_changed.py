"""A prior payer's claim corrected or voided after the next payer was billed from it: the next payer's
claim carries an adjudication that no longer stands, so it goes to the COORDINATION_OF_BENEFITS queue
to be corrected (or voided) too."""

from sqlmodel import Session, col, select

from models.claims import Claim
from models.enums import ClaimFrequency, ClaimStatus
from models.exchange import WorkItem

AT_THE_PAYER = (
    ClaimStatus.SUBMITTING,
    ClaimStatus.SUBMITTED,
    ClaimStatus.ACCEPTED,
    ClaimStatus.PAID,
    ClaimStatus.PARTIALLY_PAID,
    ClaimStatus.DENIED,
)
QUEUE = "COORDINATION_OF_BENEFITS"


def flag_later_payers(session: Session, claim: Claim, frequency: ClaimFrequency, *, source: str) -> list[int]:
    """Open a work item on every later payer's claim of the service already with its payer; their IDs."""
    query = select(Claim).where(
        Claim.attendance_id == claim.attendance_id,
        col(Claim.id) != claim.id,
        col(Claim.status).in_(AT_THE_PAYER),
    )
    later = [c for c in session.exec(query) if c.payer_sequence.rank > claim.payer_sequence.rank]
    verb, code = ("voided", "PRIOR-VOIDED") if frequency is ClaimFrequency.VOID else ("corrected", "PRIOR-CORRECTED")
    for other in later:
        session.add(
            WorkItem(
                claim_id=other.id,
                queue=QUEUE,
                codes=[code],
                explanation=(
                    f"claim {claim.id} to the {claim.payer_sequence.name.lower()} payer is being {verb}; this claim "
                    f"repeats its old adjudication: correct or void it too (groupbill claims correct {other.id})"
                ),
                source=source,
            )
        )
    return [other.id or 0 for other in later]
