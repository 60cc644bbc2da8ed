"""Apply 999 and 277CA acknowledgements: rejections to FIX_AND_RESEND, 277CA acceptance with the payer's number."""

from sqlmodel import col, select

from models.claims import Claim
from models.enums import BatchStatus, ClaimStatus
from models.exchange import Acknowledgement, SubmissionBatch
from models.plain import plain_rows
from tasks.posting.common import Poster
from tasks.posting.meaning import REVIEW, QueueEntry, claim_acknowledgement, set_rejection
from tasks.x12.ack277 import Ack277, ClaimAck
from tasks.x12.ack999 import Ack999

LIVE = (ClaimStatus.SUBMITTED, ClaimStatus.ACCEPTED)
# what a refusal of the whole batch (999 R, TA1 R) moves: also a batch still `submitting` (the send crashed
# after the file went out, before the record), whose claims would otherwise wait there for ever
IN_BATCH = (ClaimStatus.SUBMITTING, *LIVE)


def apply_999(poster: Poster, ack: Ack999, report_id: str, raw: str) -> None:
    """A rejected set moves every live claim of its batch to `rejected` with the error locations."""
    batch_id = None
    for group in ack.groups:
        batch = _batch(poster, group.group_control_number)
        batch_id = batch.id if batch else batch_id
        for set_ack in group.sets:
            entry = set_rejection(set_ack)
            if entry is None:
                continue
            poster.posting.rejected_sets += 1
            if batch is None:
                poster.file(
                    QueueEntry(REVIEW, entry.codes, f"999 for group {group.group_control_number} we never sent"), None
                )
                continue
            batch.status = BatchStatus.REJECTED
            for claim in plain_rows(poster.session, Claim, col(Claim.batch_id) == batch.id, order_by=(Claim.id,)):
                _reject(poster, poster.row(claim), entry, "999 rejected")
    poster.session.add(Acknowledgement(document_id=report_id, kind="999", batch_id=batch_id, raw=raw))


def apply_277(poster: Poster, ack: Ack277, report_id: str, raw: str) -> None:
    """A1/A2 (and A0/A5) accept the claim and give its payer number; A3/A4/A6/A7/A8 reject it."""
    claims = poster.claims({c.patient_control_number for c in ack.claims})
    for claim_ack in ack.claims:
        claim = claims.get(claim_ack.patient_control_number)
        if claim is None or not claim_ack.statuses:
            poster.file(QueueEntry(REVIEW, ("277CA",), "277CA names a claim control number we never sent"), None)
        elif claim.status in LIVE:  # an acknowledgement arriving after the 835 changes nothing
            _acknowledge(poster, claim, claim_ack)
    poster.session.add(Acknowledgement(document_id=report_id, kind="277", raw=raw))


def _acknowledge(poster: Poster, claim: Claim, claim_ack: ClaimAck) -> None:
    accepted, entry = claim_acknowledgement(claim_ack, poster.codes)
    if accepted:
        poster.payer_claim_number(claim, claim_ack.payer_claim_number)
        if poster.move(claim, ClaimStatus.ACCEPTED, "277CA accepted"):
            poster.posting.accepted += 1
    elif entry is not None:
        _reject(poster, claim, entry, "277CA rejected")


def _reject(poster: Poster, claim: Claim, entry: QueueEntry, reason: str) -> None:
    """A sent claim to `rejected`: it never reached adjudication, so its units go back and ops fix and resend."""
    if claim.status in IN_BATCH and poster.move(claim, ClaimStatus.REJECTED, reason):
        poster.posting.rejected += 1
        poster.release(claim)
        poster.file(entry, claim.id)


def _batch(poster: Poster, group_control_number: str) -> SubmissionBatch | None:
    """Our batch whose GS06 this group answers (GS06 is the interchange control number unpadded)."""
    if not group_control_number.isdigit():
        return None
    control = f"{int(group_control_number):09d}"
    query = select(SubmissionBatch).where(SubmissionBatch.interchange_control_number == control)
    return poster.session.exec(query).first()
