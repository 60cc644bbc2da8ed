"""Claim status is an optional capability: how each connection asks (or that it cannot)."""

from tasks.clearinghouse.paced import PacedClearinghouse
from tasks.clearinghouse.protocol import Receipt, ReportPage, claim_status_channel
from tasks.clearinghouse.sandbox.simulator import SandboxClearinghouse


class EligibilityOnly:
    """A connector without 276/277 (as a new API connector may start)."""

    def check_eligibility(self, x12_270: str, *, payer_id: str) -> str:
        return ""

    def submit(self, x12_837: str, *, control_number: str, payer_id: str) -> Receipt:
        raise NotImplementedError

    def was_received(self, control_number: str) -> Receipt | None:
        return None

    def fetch_reports(self, cursor: str | None) -> ReportPage:
        return ReportPage((), cursor or "0")


class Mailbox(EligibilityOnly):
    claim_status_channel = "mailbox"

    def check_claim_status(self, x12_276: str, *, payer_id: str) -> str | None:
        return None


def _paced(inner: object) -> PacedClearinghouse:
    return PacedClearinghouse(inner, lambda _limit: None)  # type: ignore[arg-type]


def test_each_connection_says_how_it_asks(sandbox: SandboxClearinghouse) -> None:
    assert claim_status_channel(sandbox) == "real-time"  # the method and no attribute: answers at once
    assert claim_status_channel(Mailbox()) == "mailbox"
    assert claim_status_channel(EligibilityOnly()) is None


def test_a_paced_connection_asks_as_the_one_it_wraps(sandbox: SandboxClearinghouse) -> None:
    assert claim_status_channel(_paced(sandbox)) == "real-time"
    assert claim_status_channel(_paced(Mailbox())) == "mailbox"
    assert claim_status_channel(_paced(EligibilityOnly())) is None
