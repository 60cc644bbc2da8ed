"""The claim status follow-up against the sandbox payer: claims past their turnaround are found, asked about
once per `status_every_days`, every answer is kept, and what needs a person is filed once."""

from collections import Counter
from pathlib import Path

from sqlmodel import Session, col, select

from config.reference_data import x12_codes
from config.settings import get_settings
from models.claims import Claim
from models.enums import ClaimStatus, LedgerKind
from models.exchange import ClaimStatusCheck, WorkItem
from models.patients import AuthLedgerEntry
from tasks.clearinghouse.protocol import Report, ReportPage
from tasks.clearinghouse.sandbox.simulator import SandboxClearinghouse
from tasks.posting.collect import collect
from tasks.reporting.gather import billing_report
from tasks.x12.status277 import read_277
from tests.stedi_server import StediServer
from tests.tasks.claim_status.conftest import Quiet, day


def _queues(quiet: Quiet) -> Counter[str]:
    with Session(quiet.engine) as s:
        return Counter(
            w.queue for w in s.exec(select(WorkItem)) if w.queue in {"MISSING_CLAIM", "MISSING_ERA", "REQUESTED_INFO"}
        )


def test_nothing_is_quiet_the_day_it_was_sent(quiet: Quiet) -> None:
    assert quiet.quiet(0) == [] and quiet.quiet(3) == []


def test_a_claim_without_a_277ca_is_quiet_after_three_days_and_found_missing(quiet: Quiet) -> None:
    found = quiet.quiet(4)
    assert found and {q.reason for q in found} == {"no-277ca"} and {q.status for q in found} == {"submitted"}
    counts = quiet.ask(4)
    assert counts["asked_real_time"] == len(found) and counts["answer_missing_claim"] == len(found)
    with Session(quiet.engine) as s:
        lost = s.exec(select(Claim).where(col(Claim.id).in_([q.claim_id for q in found]))).all()
        assert {c.status for c in lost} == {ClaimStatus.REJECTED}  # never reached the payer: resend after checking
        checks = s.exec(select(ClaimStatusCheck)).all()
        assert {(c.category, c.status_code, c.outcome) for c in checks} == {("A4", "35", "missing_claim")}
        assert all(read_277(c.raw or "").claims[0].trace_number == c.trace_number for c in checks)
        released = s.exec(select(AuthLedgerEntry).where(AuthLedgerEntry.kind == LedgerKind.RELEASE)).all()
        assert {e.claim_id for e in released} <= {q.claim_id for q in found}
    assert _queues(quiet) == Counter(MISSING_CLAIM=len(found))
    assert quiet.quiet(5) == []  # rejected: no longer with the payer


def test_each_payer_is_asked_about_its_claims_past_its_own_turnaround(quiet: Quiet) -> None:
    at_25 = {q.payer for q in quiet.quiet(25) if q.reason == "no-835"}
    assert at_25 and "MCR" not in at_25  # commercial after 21 days, Medicare after 30
    assert "MCR" in {q.payer for q in quiet.quiet(31) if q.reason == "no-835"}


def test_paid_without_an_835_pended_and_asked_for_documents(quiet: Quiet) -> None:
    quiet.ask(4)
    counts = quiet.ask(35)
    assert counts["answer_missing_era"] >= 1 and counts["answer_requested_info"] >= 1 and counts["answer_pended"] >= 1
    queues = _queues(quiet)
    assert (
        queues["MISSING_ERA"] == counts["answer_missing_era"]
        and queues["REQUESTED_INFO"] == counts["answer_requested_info"]
    )
    with Session(quiet.engine) as s:
        era = s.exec(select(WorkItem).where(WorkItem.queue == "MISSING_ERA")).first()
        assert era is not None and "no 835 came in 35 days" in era.explanation
        pended = s.exec(select(ClaimStatusCheck).where(ClaimStatusCheck.category == "P1")).all()
        assert pended and all(s.get(Claim, c.claim_id).status is ClaimStatus.ACCEPTED for c in pended)  # type: ignore[union-attr]


def test_a_payer_is_asked_once_per_status_every_days_and_files_once(quiet: Quiet) -> None:
    first = quiet.ask(35)
    assert first["asked_real_time"] > 0
    assert quiet.ask(36) == {}  # asked yesterday: not again before status_every_days (7)
    again = quiet.ask(42)
    assert again["asked_real_time"] == first["asked_real_time"] - first.get("answer_missing_claim", 0)
    with Session(quiet.engine) as s:
        checks = Counter(c.claim_id for c in s.exec(select(ClaimStatusCheck)))
        items = Counter(
            (w.claim_id, w.queue) for w in s.exec(select(WorkItem)) if w.queue in ("MISSING_ERA", "REQUESTED_INFO")
        )
    assert max(checks.values()) == 2 and set(items.values()) == {1}  # every answer kept; each filed once


class WithoutClaimStatus:
    """The sandbox behind a connector that has no 276/277."""

    def __init__(self, inner: object) -> None:
        self.inner = inner

    def __getattr__(self, name: str) -> object:
        if name == "check_claim_status":
            raise AttributeError(name)
        return getattr(self.inner, name)


def test_a_connection_that_cannot_ask_leaves_the_claims_quiet(quiet: Quiet) -> None:
    found = quiet.quiet(4)
    assert quiet.ask(4, WithoutClaimStatus(quiet.sandbox)) == {"not_asked": len(found)}
    with Session(quiet.engine) as s:
        assert s.exec(select(ClaimStatusCheck)).all() == []
    assert [q.claim_id for q in quiet.quiet(5)] == [q.claim_id for q in found]


class MailboxSandbox:
    """The sandbox behind a mailbox: a 276 batch is left, and its 277 comes back with the next reports."""

    claim_status_channel = "mailbox"

    def __init__(self, inner: SandboxClearinghouse) -> None:
        self.inner, self.waiting = inner, list[str]()

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)

    def check_claim_status(self, x12_276: str, *, payer_id: str) -> None:
        self.waiting.append(self.inner.check_claim_status(x12_276, payer_id=payer_id))

    def fetch_reports(self, cursor: str | None) -> ReportPage:
        page, answers = self.inner.fetch_reports(cursor), self.waiting
        self.waiting = []
        return ReportPage(
            page.reports + tuple(Report(f"277-{i}", "277", t) for i, t in enumerate(answers)), page.next_cursor
        )


def test_a_mailbox_is_asked_in_one_batch_and_its_277_applied_by_collection(quiet: Quiet) -> None:
    found, mailbox = quiet.quiet(4), MailboxSandbox(quiet.sandbox)
    assert quiet.ask(4, mailbox) == {"asked_by_mailbox": len(found)} and len(mailbox.waiting) == 1
    with Session(quiet.engine) as s:
        assert {(c.channel, c.outcome) for c in s.exec(select(ClaimStatusCheck))} == {("mailbox", "asked")}
        assert {s.get(Claim, q.claim_id).status for q in found} == {ClaimStatus.SUBMITTED}  # type: ignore[union-attr]
    assert quiet.ask(5, mailbox) == {}  # asked: not again before status_every_days
    collect(quiet.engine, mailbox, x12_codes(), source="test")
    with Session(quiet.engine) as s:
        checks = s.exec(select(ClaimStatusCheck)).all()
        assert {(c.category, c.outcome) for c in checks} == {("A4", "missing_claim")} and len(checks) == len(found)
    assert _queues(quiet) == Counter(MISSING_CLAIM=len(found))


def test_the_billing_report_counts_the_claims_past_turnaround_and_their_dollars(quiet: Quiet) -> None:
    def past(days: int) -> tuple[str, str]:
        with Session(quiet.engine) as s:
            report = billing_report(s, x12_codes(), today=day(days), zone=get_settings().timezone)
        values = {m.name: m.value for m in report.metrics}
        return values["claims past turnaround"], values["charges past turnaround"]

    found = quiet.quiet(4)
    assert past(0) == ("0", "0.00")
    assert past(4) == (str(len(found)), f"{sum(q.charge for q in found):.2f}")


def test_a_stedi_practice_is_asked_in_real_time_through_the_local_stedi_server(quiet: Quiet, tmp_path: Path) -> None:
    """The same follow-up through the stedi connector: one raw-X12 276 per claim to Stedi's claim status
    call, the payer's 277 back at once, the same answers kept and filed as in-process."""
    found = quiet.quiet(4)
    far = StediServer(tmp_path / "sandbox")
    try:
        client = far.client(tmp_path / "stedi")
        counts = quiet.ask(4, client)
    finally:
        far.stop()
    assert counts["asked_real_time"] == len(found) == counts["answer_missing_claim"] > 0
    with Session(quiet.engine) as s:
        checks = s.exec(select(ClaimStatusCheck)).all()
        assert {(c.channel, c.category, c.status_code) for c in checks} == {("real-time", "A4", "35")}
    assert _queues(quiet) == Counter(MISSING_CLAIM=len(found))
