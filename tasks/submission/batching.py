"""Ready claims into 837P batches per practice and payer: the first half of the submission guard.

Each batch is one transaction: the batch row with its interchange control number, its claims moved
to `submitting`, and its 837P file on disk, before anything is sent. A crash leaves whole batches
or none; `sending.py` then finishes them without sending any twice.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby
from pathlib import Path
from uuid import uuid4

from sqlalchemy import Engine, update
from sqlmodel import Session, col, select

from models.claims import Claim
from models.db import lock_billing, session_scope
from models.enums import BatchStatus, ClaimStatus
from models.exchange import SubmissionBatch
from models.lifecycle import move_all
from models.practice import Practice
from models.types import db_id
from tasks.crash import crash_point
from tasks.submission.build837 import Parties, build_batch, x12_text
from tasks.submission.files import write_private
from tasks.x12 import claim837_model as x
from tasks.x12.claim837_writer import write_837p
from tasks.x12.envelope import Header

# An 837P set may hold 5,000 claims, but a 999 refuses a whole set for one bad segment: files of 1,000
# bound what one mistake holds back, and keep assembling, sending and posting one file's 999, 277CA and
# 835 the same size (and memory) on a night of 20,000 claims as on one of 100,000.
CLAIMS_PER_FILE = 1000
# A batch whose file cannot be written rolls back whole: its claims stay ready for the next run.
_OUTPUT_HINT = "GROUPBILL_OUTPUT_DIR must name a folder groupbill can write; nothing was sent"


@dataclass(frozen=True, slots=True)
class Envelope:
    """Who we are to the clearinghouse, who it is, and where files go."""

    submitter_id: str
    receiver_id: str
    out_dir: Path
    usage: str = "T"  # ISA15: T test, P production (the connection's)
    claims_per_file: int = CLAIMS_PER_FILE  # fewer where the connection takes fewer per request (Stedi: one)
    connection: str | None = None  # the clearinghouse connection these IDs are for (None: not routed)


def ready_groups(session: Session, claim_ids: list[int] | None = None) -> list[tuple[int, int, list[int]]]:
    """Ready claims not yet in a batch, as (practice, payer, claim IDs) of at most CLAIMS_PER_FILE."""
    query = select(Claim.id, Claim.practice_id, Claim.payer_id).where(
        col(Claim.status) == ClaimStatus.READY, col(Claim.batch_id).is_(None)
    )
    if claim_ids is not None:
        query = query.where(col(Claim.id).in_(claim_ids))
    rows = sorted(session.exec(query).all(), key=lambda r: (r[1], r[2], r[0]))
    groups = []
    for (practice_id, payer_id), members in groupby(rows, key=lambda r: (r[1], r[2])):
        ids = [db_id(r[0]) for r in members]
        groups += [(practice_id, payer_id, ids[i : i + CLAIMS_PER_FILE]) for i in range(0, len(ids), CLAIMS_PER_FILE)]
    return groups


def split_group(group: tuple[int, int, list[int]], size: int) -> list[tuple[int, int, list[int]]]:
    """A group cut into groups of at most `size` claims."""
    practice_id, payer_id, ids = group
    return [(practice_id, payer_id, ids[i : i + size]) for i in range(0, len(ids), max(size, 1))]


def assemble_batch(
    engine: Engine, group: tuple[int, int, list[int]], envelope: Envelope, *, now: datetime, source: str
) -> int | None:
    """One batch: its row and control number, its claims `submitting`, its file written; the batch ID
    (None when an overlapping run batched these claims first)."""
    practice_id, payer_id, claim_ids = group
    with session_scope(engine) as session:
        lock_billing(session)
        claim_ids = _still_ready(session, claim_ids)
        if not claim_ids:
            return None
        batch = SubmissionBatch(
            practice_id=practice_id,
            payer_id=payer_id,
            interchange_control_number=uuid4().hex[:9],
            connection=envelope.connection,
        )
        session.add(batch)
        session.flush()
        batch_id = db_id(batch.id)
        control = f"{batch_id:09d}"
        batch.interchange_control_number, batch.status, batch.claim_count = (
            control,
            BatchStatus.SUBMITTING,
            len(claim_ids),
        )
        move_all(
            session,
            claim_ids,
            ClaimStatus.READY,
            ClaimStatus.SUBMITTING,
            source=source,
            reason=f"in interchange {control}",
            details={"batch_id": batch_id},
        )
        session.execute(update(Claim).where(col(Claim.id).in_(claim_ids)).values(batch_id=batch_id))
        practice = session.get(Practice, practice_id)
        parties = _parties(practice, envelope)
        header = Header(envelope.submitter_id, envelope.receiver_id, batch_id, now.replace(tzinfo=None), envelope.usage)
        text = write_837p(build_batch(session, claim_ids, header=header, parties=parties, reference=f"B{control}"))
        batch.file_path = str(write_private(envelope.out_dir / "837p" / f"{control}.x12", text, hint=_OUTPUT_HINT))
        batch.file_size, batch.file_sha256 = len(text), hashlib.sha256(text.encode("ascii")).hexdigest()
        crash_point("assemble:file-written")
    return batch_id


def _still_ready(session: Session, claim_ids: list[int]) -> list[int]:
    """Those of the claims still ready and in no batch, read under the lock."""
    query = select(Claim.id).where(
        col(Claim.id).in_(claim_ids), col(Claim.status) == ClaimStatus.READY, col(Claim.batch_id).is_(None)
    )
    return sorted(db_id(i) for i in session.exec(query))


def _parties(practice: Practice | None, envelope: Envelope) -> Parties:
    name = x12_text(practice.name if practice else "GROUPBILL")
    phone = (
        "".join(ch for ch in (practice.phone if practice and practice.phone else "") if ch.isdigit()) or "0000000000"
    )
    return Parties(
        x.Submitter(name, envelope.submitter_id, "BILLING", phone),
        x.Receiver(envelope.receiver_id, envelope.receiver_id),
    )
