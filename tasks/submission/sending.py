"""Send assembled batches: the second half of the submission guard.

A batch in `submitting` is asked about first: if the clearinghouse already holds its control
number (a crash after sending, before recording), it is recorded as submitted without sending
again. Network calls happen outside any database transaction.
"""

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from models.claims import Claim
from models.clock import utcnow
from models.db import session_scope
from models.enums import BatchStatus, ClaimFrequency, ClaimStatus, LedgerKind
from models.errors import ClaimsRefused, ClearinghouseRejected, ControlNumberReused, SubmissionFileMissing
from models.exchange import SubmissionBatch, WorkItem
from models.lifecycle import Move, move_all, transition_many
from models.plain import plain_rows
from models.practice import Payer
from models.types import db_id
from tasks.clearinghouse.protocol import Clearinghouse, Content, Receipt
from tasks.clearinghouse.routing import route
from tasks.crash import crash_point
from tasks.preauth.accounting import follow_claims


@dataclass(frozen=True, slots=True)
class Sent:
    """What happened to one batch: sent now, found already received, or refused at the door."""

    batch_id: int
    outcome: str  # "sent" | "already_received" | "refused" | "not_pending"
    claims: int
    charges: Decimal = Decimal("0.00")  # total charge of those claims


def pending_batches(session: Session) -> list[int]:
    """Batches assembled but not yet known to be received, oldest first."""
    query = select(SubmissionBatch.id).where(col(SubmissionBatch.status) == BatchStatus.SUBMITTING)
    return [db_id(i) for i in session.exec(query.order_by(col(SubmissionBatch.id)))]


def send_batch(engine: Engine, clearinghouse: Clearinghouse, batch_id: int, *, source: str) -> Sent:
    """Send one batch unless the clearinghouse already has it, then record the receipt.

    The batch's row stays locked from the question to the record (PostgreSQL; SKIP LOCKED): a second
    worker sending the same batch at the same moment passes it by, and a crash drops the lock with
    the connection. The claims move in the same transaction as the lock.
    """
    with session_scope(engine) as session:
        batch = _lock_pending(session, batch_id)
        if batch is None:
            return Sent(batch_id, "not_pending", 0)
        clearinghouse = route(clearinghouse, batch.practice_id, batch.connection)  # the one its envelope is for
        try:
            return _deliver(session, clearinghouse, batch, source)
        except ControlNumberReused as exc:  # the batch stays `submitting`: nothing was sent, nothing recorded
            raise ControlNumberReused(f"batch {batch_id}: {exc}") from None


def _deliver(session: Session, clearinghouse: Clearinghouse, batch: SubmissionBatch, source: str) -> Sent:
    """Ask whether the batch's interchange (with the content assembly recorded) arrived; if not, send it; record."""
    batch_id, control, expected = db_id(batch.id), batch.interchange_control_number, _expected(batch)
    receipt = clearinghouse.was_received(control, expected=expected)
    outcome = "already_received"
    if receipt is None:
        text = _file_text(Path(batch.file_path or ""), expected, batch_id)
        payer = session.get(Payer, batch.payer_id)
        try:
            receipt = clearinghouse.submit(text, control_number=control, payer_id=payer.x12_payer_id if payer else "")
        except ClearinghouseRejected as exc:
            codes = list(exc.codes) if isinstance(exc, ClaimsRefused) else None
            return record_refused(session, batch, str(exc), source=source, codes=codes)
        outcome = "sent"
        crash_point("send:received-not-recorded")
    claims, charges = record_received(session, batch, receipt, source=source)
    return Sent(batch_id, outcome, claims, charges)


def _lock_pending(session: Session, batch_id: int) -> SubmissionBatch | None:
    """The batch, locked, if it is still `submitting` and no one else holds it."""
    query = (
        select(SubmissionBatch)
        .where(col(SubmissionBatch.id) == batch_id, col(SubmissionBatch.status) == BatchStatus.SUBMITTING)
        .with_for_update(skip_locked=True)
    )
    return session.exec(query).first()


def _expected(batch: SubmissionBatch) -> Content | None:
    """What the batch's file must be, as assembly recorded it (None for batches from before it did)."""
    if batch.file_size is None or batch.file_sha256 is None:
        return None
    return Content(batch.file_size, batch.file_sha256)


def _file_text(path: Path, expected: Content | None, batch_id: int) -> str:
    """The batch's 837P as written at assembly; a missing or changed file is an infrastructure error, said plainly."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SubmissionFileMissing(
            f"837P file {path} cannot be read ({exc.strerror}): restore it from backup"
        ) from None
    if expected is not None and Content.of(data) != expected:
        raise SubmissionFileMissing(
            f"837P file {path} is not the file assembled for batch {batch_id} ({Content.of(data)}, not {expected}): "
            "restore it from backup; nothing was sent"
        )
    return data.decode("ascii")


def record_received(session: Session, batch: SubmissionBatch, receipt: Receipt, *, source: str) -> tuple[int, Decimal]:
    """The batch and its claims `submitted`, authorization units consumed, replaced claims closed; how many
    claims, and their total charge."""
    batch.status, batch.receipt_id, batch.sent_at = BatchStatus.SUBMITTED, receipt.receipt_id, utcnow()
    session.flush()  # the batch's UPDATE first: a sender recording the same batch waits for us, then finds no claims
    claims = _claims_of(session, db_id(batch.id), ClaimStatus.SUBMITTING)
    move_all(
        session,
        [db_id(c.id) for c in claims],
        ClaimStatus.SUBMITTING,
        ClaimStatus.SUBMITTED,
        source=source,
        reason=f"clearinghouse receipt {receipt.receipt_id}",
    )
    _close_replaced(session, claims, source)  # first: a correction consumes the units its original gives up
    follow_claims(session, _drawing(claims), LedgerKind.CONSUME, source)
    return len(claims), sum((c.total_charge for c in claims), Decimal("0.00"))


def record_refused(
    session: Session, batch: SubmissionBatch, reason: str, *, source: str, codes: list[str] | None = None
) -> Sent:
    """The clearinghouse refused the file: its claims `rejected` (never reached a payer), units released."""
    batch.status = BatchStatus.REJECTED
    session.flush()  # as in record_received: the batch's UPDATE before its claims are read
    claims = _claims_of(session, db_id(batch.id), ClaimStatus.SUBMITTING)
    ids = [db_id(c.id) for c in claims]
    move_all(session, ids, ClaimStatus.SUBMITTING, ClaimStatus.REJECTED, source=source, reason="file refused")
    follow_claims(session, _drawing(claims), LedgerKind.RELEASE, source)
    for claim in claims:
        session.add(
            WorkItem(
                claim_id=claim.id,
                queue="FIX_AND_RESEND",
                codes=codes or ["FILE-REFUSED"],
                explanation=f"the clearinghouse refused the file: {reason}"[:500],
                source=source,
            )
        )
    return Sent(db_id(batch.id), "refused", len(claims), sum((c.total_charge for c in claims), Decimal("0.00")))


def _claims_of(session: Session, batch_id: int, status: ClaimStatus) -> list[Claim]:
    """The batch's claims in `status`, as plain rows (a batch is thousands of claims, only read here)."""
    criteria = (col(Claim.batch_id) == batch_id, col(Claim.status) == status)
    return plain_rows(session, Claim, *criteria, order_by=(Claim.id,))


def _drawing(claims: list[Claim]) -> list[tuple[int, int]]:
    """(claim, authorization) for the claims that draw on an authorization."""
    return [(db_id(c.id), c.authorization_id) for c in claims if c.authorization_id is not None]


def _close_replaced(session: Session, claims: list[Claim], source: str) -> None:
    """A replacement (7) or void (8) that reached the clearinghouse closes the claim it replaces."""
    closing = {ClaimFrequency.REPLACEMENT: ClaimStatus.CORRECTED, ClaimFrequency.VOID: ClaimStatus.VOIDED}
    replaced = {
        db_id(c.original_claim_id): closing[c.frequency]
        for c in claims
        if c.frequency in closing and c.original_claim_id is not None
    }
    originals = session.exec(select(Claim).where(col(Claim.id).in_(list(replaced)))).all() if replaced else []
    moves: list[Move] = [(db_id(o.id), o.status, replaced[db_id(o.id)], [], {}) for o in originals]
    transition_many(session, moves, source=source, reason="replaced by a corrected or void claim")
    # the closed claim's units go: a void takes them back, a correction holds its own for the same service
    closed = [(db_id(o.id), o.authorization_id) for o in originals if o.authorization_id is not None]
    follow_claims(session, closed, LedgerKind.RELEASE, source)
