"""TA1 interchange acknowledgments posted: an A is recorded against its batch and changes no claim; an R
for an interchange we never sent is filed for review; the same TA1 twice is applied once."""

from datetime import datetime

from sqlmodel import Session, col, select

from config.reference_data import x12_codes
from models.claims import Claim
from models.enums import ClaimStatus
from models.exchange import Acknowledgement, SubmissionBatch, WorkItem
from tasks.clearinghouse.protocol import Report, ReportPage
from tasks.posting.collect import collect
from tasks.x12.envelope import Header
from tasks.x12.ta1 import InterchangeAck, Ta1, write_ta1
from tests.tasks.daily.conftest import Billing


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
