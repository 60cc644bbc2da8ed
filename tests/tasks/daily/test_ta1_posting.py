"""TA1 interchange acknowledgments posted: an A is recorded against its batch and changes no claim; an R
for an interchange we never sent is filed for review; the same TA1 twice is applied once; an R (or a 999 R)
for a batch still `submitting` rejects its claims and gives their units back; an R 025 (a duplicate control
number) rejects nothing."""

from datetime import datetime

import pytest
from sqlmodel import Session, col, select

from config.reference_data import x12_codes
from models.claims import Claim
from models.enums import BatchStatus, ClaimStatus
from models.exchange import Acknowledgement, SubmissionBatch, WorkItem
from models.patients import AuthLedgerEntry
from tasks.clearinghouse.protocol import Report, ReportPage
from tasks.daily import pipeline
from tasks.posting.collect import collect
from tasks.preauth.ledger import holdings
from tasks.submission.sending import pending_batches
from tasks.x12.ack999 import Ack999, GroupAck, SetAck, write_999
from tasks.x12.envelope import Header
from tasks.x12.ta1 import InterchangeAck, Ta1, write_ta1
from tests.tasks.daily.conftest import NOW, Billing


class Feed:
    """Hands over the same reports on every poll (a redelivery), cursor or not."""

    def __init__(self, *reports: Report) -> None:
        self.reports, self.polls = reports, 0

    def fetch_reports(self, cursor: str | None) -> ReportPage:
        self.polls += 1
        return ReportPage(self.reports if self.polls % 2 else (), f"T{self.polls}")


def _ta1(control: str, code: str, note: str) -> str:
    header = Header("SANDBOX", "GROUPBILL", 900, datetime(2026, 11, 27, 6, 5))
    return write_ta1(Ta1(header, (InterchangeAck(control, "261127", "0600", code, note),)))


def test_an_accepting_ta1_is_recorded_and_a_stray_rejection_is_filed_once(billing: Billing) -> None:
    billing.prepare()
    billing.submit()
    with Session(billing.engine) as s:
        batch = s.exec(select(SubmissionBatch)).first()
        assert batch is not None
        control = batch.interchange_control_number
    feed = Feed(
        Report("TA1-A", "TA1", _ta1(control, "A", "000")), Report("TA1-R", "TA1", _ta1("999999999", "R", "025"))
    )
    for _ in range(2):
        collect(billing.engine, feed, x12_codes(), source="test")  # type: ignore[arg-type]
    with Session(billing.engine) as s:
        acks = s.exec(select(Acknowledgement).where(Acknowledgement.kind == "TA1")).all()
        review = s.exec(select(WorkItem).where(WorkItem.queue == "REVIEW")).all()
        statuses = {c.status for c in s.exec(select(Claim).where(col(Claim.batch_id) == batch.id))}
    assert sorted((a.document_id, a.batch_id) for a in acks) == [("TA1-A", batch.id), ("TA1-R", None)]
    assert statuses == {ClaimStatus.SUBMITTED}
    assert len(review) == 1 and "025 duplicate interchange control number" in review[0].explanation


def _999_rejecting(batch_id: int) -> str:
    header = Header("SANDBOX", "GROUPBILL", 901, datetime(2026, 11, 27, 6, 5))
    group = GroupAck("HC", str(batch_id), "R", None, (SetAck("837", "0001", "R", codes=("5",)),))
    return write_999(Ack999(header, (group,)))


def _assembled_not_recorded(billing: Billing) -> SubmissionBatch:
    """A batch whose send crashed after the file went out, before the record: still `submitting`."""
    billing.prepare()
    pipeline.assemble(billing.engine, billing.envelope, NOW, source="test")
    with Session(billing.engine) as s:
        drawing = select(Claim.batch_id).where(
            col(Claim.authorization_id).is_not(None), col(Claim.batch_id).is_not(None)
        )
        batch = s.get(SubmissionBatch, s.exec(drawing).first())
    assert batch is not None and batch.status is BatchStatus.SUBMITTING
    return batch


@pytest.mark.parametrize("kind", ["TA1", "999"])
def test_a_rejection_of_a_batch_still_submitting_rejects_its_claims_and_gives_their_units_back(
    billing: Billing, kind: str
) -> None:
    batch = _assembled_not_recorded(billing)
    control = batch.interchange_control_number
    text = _ta1(control, "R", "020") if kind == "TA1" else _999_rejecting(int(control))
    collect(billing.engine, Feed(Report(f"{kind}-R", kind, text)), x12_codes(), source="test")  # type: ignore[arg-type]
    with Session(billing.engine) as s:
        claims = s.exec(select(Claim).where(col(Claim.batch_id) == batch.id)).all()
        items = {w.claim_id: w for w in s.exec(select(WorkItem))}
        held = holdings(s.exec(select(AuthLedgerEntry).order_by(col(AuthLedgerEntry.id))).all())
        status, pending = s.get(SubmissionBatch, batch.id).status, pending_batches(s)  # type: ignore[union-attr]
    assert claims and {c.status for c in claims} == {ClaimStatus.REJECTED}
    assert status is BatchStatus.REJECTED and batch.id not in pending
    assert all(items[c.id].queue == "FIX_AND_RESEND" for c in claims)
    if kind == "TA1":
        assert all("020 invalid test indicator" in items[c.id].explanation for c in claims)
    assert any(c.authorization_id for c in claims) and not any(c.id in held for c in claims)  # units released


def test_a_ta1_refusing_a_duplicate_control_number_rejects_nothing_and_is_filed_for_review(billing: Billing) -> None:
    billing.prepare()
    billing.submit()
    with Session(billing.engine) as s:
        batch = s.exec(select(SubmissionBatch)).first()
    assert batch is not None
    feed = Feed(Report("TA1-DUP", "TA1", _ta1(batch.interchange_control_number, "R", "025")))
    collect(billing.engine, feed, x12_codes(), source="test")  # type: ignore[arg-type]
    with Session(billing.engine) as s:
        statuses = {c.status for c in s.exec(select(Claim).where(col(Claim.batch_id) == batch.id))}
        items = s.exec(select(WorkItem)).all()
        status = s.get(SubmissionBatch, batch.id).status  # type: ignore[union-attr]
    assert statuses == {ClaimStatus.SUBMITTED} and status is BatchStatus.SUBMITTED
    assert [(w.queue, w.claim_id) for w in items] == [("REVIEW", None)]
    assert "025 duplicate interchange control number" in items[0].explanation
    assert f"batch {batch.id}" in items[0].explanation
