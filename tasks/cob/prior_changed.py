"""When what a prior payer did no longer stands, the COORDINATION_OF_BENEFITS queue says so.

- A prior payer's claim corrected or voided after the next payer was billed from it: the next payer's
  claim carries an adjudication that no longer stands, so it is queued to be corrected (or voided) too.
- A prior payer reversed its payment (835 CLP02 22) after the next payer was billed from it: the same.
- The payer order changed after a payer was billed for the service: a later claim that would now go to
  that same payer is held, and queued; the earlier claim needs a void or correction first.
"""

from collections.abc import Sequence

from sqlmodel import Session, col, select

from models.claims import Claim
from models.clock import utcnow
from models.db import insert_rows
from models.enums import ClaimFrequency, ClaimStatus
from models.exchange import WorkItem
from models.plain import plain_rows

AT_THE_PAYER = (
    ClaimStatus.SUBMITTING,
    ClaimStatus.SUBMITTED,
    ClaimStatus.ACCEPTED,
    ClaimStatus.PAID,
    ClaimStatus.PARTIALLY_PAID,
    ClaimStatus.DENIED,
)
QUEUE = "COORDINATION_OF_BENEFITS"
ORDER_CHANGED = "ORDER-CHANGED"
PRIOR_REVERSED = "PRIOR-REVERSED"


def flag_later_payers(session: Session, claim: Claim, frequency: ClaimFrequency, *, source: str) -> list[int]:
    """Open a work item on every later payer's claim of the service already with its payer; their IDs."""
    verb, code = ("voided", "PRIOR-VOIDED") if frequency is ClaimFrequency.VOID else ("corrected", "PRIOR-CORRECTED")
    said = f"claim {claim.id} to the {claim.payer_sequence.name.lower()} payer is being {verb}"
    return _flag_later(session, claim, code, said, source)


def flag_reversed(session: Session, claim: Claim, *, source: str) -> list[int]:
    """The same, when the payer of `claim` reversed its payment (835 CLP02 22); the flagged claims' IDs."""
    said = f"the {claim.payer_sequence.name.lower()} payer reversed its payment of claim {claim.id} (835 CLP02 22)"
    return _flag_later(session, claim, PRIOR_REVERSED, said, source)


def _flag_later(session: Session, claim: Claim, code: str, said: str, source: str) -> list[int]:
    query = select(Claim).where(
        Claim.attendance_id == claim.attendance_id,
        col(Claim.id) != claim.id,
        col(Claim.status).in_(AT_THE_PAYER),
    )
    later = [c for c in session.exec(query) if c.payer_sequence.rank > claim.payer_sequence.rank]
    for other in later:
        explanation = (
            f"{said}; this claim repeats its old adjudication: correct or void it too "
            f"(groupbill claims correct {other.id})"
        )
        session.add(WorkItem(claim_id=other.id, queue=QUEUE, codes=[code], explanation=explanation, source=source))
    return [other.id or 0 for other in later]


def order_changed(earlier: Claim) -> str:
    """The work item's words when the payer order changed after `earlier`'s payer was billed for the service."""
    place = earlier.payer_sequence.name.lower()
    return (
        f"the payer order changed after claim {earlier.id} billed this service to the same payer as {place}: "
        f"billing that payer again would bill it twice. Void or correct claim {earlier.id} first "
        f"(groupbill claims void {earlier.id}), so that the payer now {place} is billed before it"
    )


def flag_order_changed(session: Session, held: Sequence[tuple[int, Claim]], *, source: str) -> int:
    """Open a work item on each held claim (claim ID, the earlier claim to its payer) unless one is open; how many."""
    if not held:
        return 0
    criteria = (
        col(WorkItem.claim_id).in_(sorted({claim_id for claim_id, _ in held})),
        col(WorkItem.queue) == QUEUE,
        col(WorkItem.resolved_at).is_(None),
    )
    open_already = {w.claim_id for w in plain_rows(session, WorkItem, *criteria) if ORDER_CHANGED in w.codes}
    now = utcnow()
    rows = [
        {
            "claim_id": claim_id,
            "queue": QUEUE,
            "codes": [ORDER_CHANGED],
            "explanation": order_changed(earlier),
            "source": source,
            "opened_at": now,
        }
        for claim_id, earlier in held
        if claim_id not in open_already
    ]
    insert_rows(session, WorkItem, rows)
    return len(rows)
