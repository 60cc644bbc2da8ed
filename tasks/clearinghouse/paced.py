"""A clearinghouse that waits for a payer's rate-limit slot before each call. The waiting is a callable
given by the orchestration layer (a Prefect global concurrency limit there), so this stays plain."""

from collections.abc import Callable

from tasks.clearinghouse.protocol import (
    AsksClaimStatus,
    ClaimStatusChannel,
    Clearinghouse,
    Content,
    Receipt,
    ReportPage,
    claim_status_channel,
)

DEFAULT_LIMIT = "payer-any"


def limit_name(x12_payer_id: str) -> str:
    """The rate limit of one payer, e.g. payer-SACME1."""
    return f"payer-{x12_payer_id}"


class PacedClearinghouse:
    """Every call to a payer first takes a slot from `pace(limit name)`; calls without a payer use the default."""

    def __init__(self, inner: Clearinghouse, pace: Callable[[str], None]) -> None:
        self.inner, self.pace = inner, pace

    def check_eligibility(self, x12_270: str, *, payer_id: str) -> str:
        """A 270 to one payer, paced."""
        self.pace(limit_name(payer_id))
        return self.inner.check_eligibility(x12_270, payer_id=payer_id)

    def check_claim_status(self, x12_276: str, *, payer_id: str) -> str | None:
        """A 276 to one payer, paced."""
        if not isinstance(self.inner, AsksClaimStatus):
            raise TypeError(f"{type(self.inner).__name__} cannot ask about a claim")  # claim_status_channel said so
        self.pace(limit_name(payer_id))
        return self.inner.check_claim_status(x12_276, payer_id=payer_id)

    @property
    def claim_status_channel(self) -> ClaimStatusChannel | None:
        """As the clearinghouse it paces."""
        return claim_status_channel(self.inner)

    def submit(self, x12_837: str, *, control_number: str, payer_id: str) -> Receipt:
        """An 837P to one payer, paced."""
        self.pace(limit_name(payer_id))
        return self.inner.submit(x12_837, control_number=control_number, payer_id=payer_id)

    def was_received(self, control_number: str, *, expected: Content | None = None) -> Receipt | None:
        """Ask about a control number, paced under the default limit."""
        self.pace(DEFAULT_LIMIT)
        return self.inner.was_received(control_number, expected=expected)

    def fetch_reports(self, cursor: str | None) -> ReportPage:
        """Poll for reports, paced under the default limit."""
        self.pace(DEFAULT_LIMIT)
        return self.inner.fetch_reports(cursor)

    def reports_applied(self, page: ReportPage) -> None:
        """Passed on to a clearinghouse that keeps report files (a mailbox)."""
        settle = getattr(self.inner, "reports_applied", None)
        if settle is not None:
            settle(page)
