"""Apply TA1 interchange acknowledgments: an `R` refused the whole interchange before any 999, so every
claim of that batch still on its way (`submitting` too: the send may have crashed before its record) goes
to `rejected` (FIX_AND_RESEND, the note code in words) and gives its units back; `A` and `E` are recorded.
An `R` with note 025 (a duplicate interchange control number) rejects nothing: the first copy arrived."""

from sqlmodel import col, select

from models.claims import Claim
from models.enums import BatchStatus, ClaimStatus
from models.exchange import Acknowledgement, SubmissionBatch
from models.plain import plain_rows
from tasks.posting.acks import IN_BATCH
from tasks.posting.common import Poster
from tasks.posting.meaning import REVIEW, QueueEntry
from tasks.x12.ta1 import InterchangeAck, Ta1

DUPLICATE = "025"  # TA105: this control number arrived before; the copy that did is the one that counts


def apply_ta1(poster: Poster, ta1: Ta1, report_id: str, raw: str) -> None:
    """Each TA1 of the document against the batch whose interchange control number it names."""
    batch_id = None
    for ack in ta1.acks:
        batch = poster.session.exec(
            select(SubmissionBatch).where(SubmissionBatch.interchange_control_number == ack.control_number)
        ).first()
        batch_id = batch.id if batch else batch_id
        if ack.code != "R":
            continue
        entry = QueueEntry("FIX_AND_RESEND", (f"TA1-{ack.note}",), f"TA1 rejected the interchange: {ack.note_in_words}")
        if batch is None:
            said = f"TA1 rejected interchange {ack.control_number}, which we never sent: {ack.note_in_words}"
            poster.file(QueueEntry(REVIEW, entry.codes, said), None)
        elif ack.note == DUPLICATE:
            poster.file(QueueEntry(REVIEW, entry.codes, _duplicate(batch, ack)), None)
        else:
            _reject_batch(poster, batch, ack, entry)
    poster.session.add(Acknowledgement(document_id=report_id, kind="TA1", batch_id=batch_id, raw=raw))


def _duplicate(batch: SubmissionBatch, ack: InterchangeAck) -> str:
    """What a review of a TA1 025 is told: nothing was rejected, and when that is wrong."""
    return (
        f"TA1 refused a second copy of interchange {ack.control_number} (batch {batch.id}): {ack.note_in_words}; "
        "the first copy was received, so no claim was rejected. If this batch never went out before (a restored "
        "database reusing control numbers), its claims did not arrive: resend them."
    )


def _reject_batch(poster: Poster, batch: SubmissionBatch, ack: InterchangeAck, entry: QueueEntry) -> None:
    poster.posting.rejected_sets += 1
    batch.status = BatchStatus.REJECTED
    for claim in plain_rows(poster.session, Claim, col(Claim.batch_id) == batch.id, order_by=(Claim.id,)):
        row = poster.row(claim)
        if row.status in IN_BATCH and poster.move(row, ClaimStatus.REJECTED, f"TA1 rejected ({ack.note})"):
            poster.posting.rejected += 1
            poster.release(row)
            poster.file(entry, row.id)
