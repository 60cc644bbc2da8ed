"""The one protocol every clearinghouse implementation speaks (sandbox in-process, HTTP).

X12 text goes in and comes out; what it means is decided by tasks/x12 and the pipeline steps.
"""

import hashlib
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
class Content:
    """What an interchange's file is: its size in bytes and its SHA-256 (a batch row holds both from assembly)."""

    size: int
    sha256: str

    @classmethod
    def of(cls, data: bytes) -> "Content":
        """The content of `data`."""
        return cls(len(data), hashlib.sha256(data).hexdigest())

    def __str__(self) -> str:
        return f"{self.size} bytes" + (f", SHA-256 {self.sha256[:12]}" if self.sha256 else "")


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
        """Send a 270 and get the 271 back."""
        ...

    def submit(self, x12_837: str, *, control_number: str, payer_id: str) -> Receipt:
        """Send an 837P interchange; resending the same control number returns the first receipt."""
        ...

    def was_received(self, control_number: str, *, expected: Content | None = None) -> Receipt | None:
        """The receipt for an interchange control number, or None if it never arrived. Given `expected`, a
        clearinghouse that knows what arrived under that number refuses (ControlNumberReused) when it was
        other content, rather than answer for a different file."""
        ...

    def fetch_reports(self, cursor: str | None) -> ReportPage:
        """Reports that became available after `cursor` (None: from the beginning)."""
        ...
