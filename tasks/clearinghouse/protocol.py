"""The one protocol every clearinghouse implementation speaks (sandbox in-process, HTTP, SFTP mailbox, Stedi).

X12 text goes in and comes out; what it means is decided by tasks/x12 and the pipeline steps.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Receipt:
    """The clearinghouse's word that it holds a batch (not that the payer accepted anything)."""

    control_number: str
    receipt_id: str
    received_at: datetime
    claim_count: int


@dataclass(frozen=True, slots=True)
class Report:
    """One document waiting for us: a 999, 277CA or 835, with the clearinghouse's ID for it."""

    report_id: str
    kind: str
    text: str


@dataclass(frozen=True, slots=True)
class ReportPage:
    """Reports after a cursor, and the cursor to ask with next time."""

    reports: tuple[Report, ...]
    next_cursor: str


class Clearinghouse(Protocol):
    """Eligibility, claim submission, 'did it arrive?', and report polling."""

    def check_eligibility(self, x12_270: str, *, payer_id: str) -> str:
        """Send a 270 and get the 271 back (or a 999 when the clearinghouse refused the 270)."""
        ...

    def check_claim_status(self, x12_276: str, *, payer_id: str) -> str | None:
        """Send a 276: the payer's 277 at once, or None where the question is left in a mailbox and the 277
        comes back later as a report (see `answers_in_real_time`)."""
        ...

    def submit(self, x12_837: str, *, control_number: str, payer_id: str) -> Receipt:
        """Send an 837P interchange; resending the same control number returns the first receipt."""
        ...

    def was_received(self, control_number: str) -> Receipt | None:
        """The receipt for an interchange control number, or None if it never arrived."""
        ...

    def fetch_reports(self, cursor: str | None) -> ReportPage:
        """Reports that became available after `cursor` (None: from the beginning)."""
        ...


def answers_in_real_time(clearinghouse: object) -> bool:
    """Whether a clearinghouse answers a 276 at once (one claim per question) or by a later report (a batch)."""
    return bool(getattr(clearinghouse, "claim_status_real_time", True))
