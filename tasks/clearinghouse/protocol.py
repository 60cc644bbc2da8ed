"""The one protocol every clearinghouse implementation speaks (sandbox in-process, HTTP, SFTP mailbox, Stedi).

X12 text goes in and comes out; what it means is decided by tasks/x12 and the pipeline steps.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol, runtime_checkable


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
        """Send a 270 and get the 271 back (or a 999 when the clearinghouse refused the 270)."""
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


ClaimStatusChannel = Literal["real-time", "mailbox"]


@runtime_checkable
class AsksClaimStatus(Protocol):
    """An optional capability: asking a payer about a claim (276 -> 277, 005010X212).

    A connection that has it says how with a `claim_status_channel` attribute ("real-time": the 277 is the
    answer; "mailbox": a 276 batch is left and the 277 comes back as a report, so the answer is None); one
    with the method and no attribute answers in real time. A connection without it is not asked."""

    def check_claim_status(self, x12_276: str, *, payer_id: str) -> str | None:
        """Send a 276: the payer's 277 at once, or None when the 277 comes back later as a report."""
        ...


def claim_status_channel(clearinghouse: object) -> ClaimStatusChannel | None:
    """How a connection asks about claims, or None when it cannot (a wrapper says so for what it wraps)."""
    if hasattr(type(clearinghouse), "claim_status_channel"):
        said = getattr(clearinghouse, "claim_status_channel", None)
        return "mailbox" if said == "mailbox" else "real-time" if said == "real-time" else None
    return "real-time" if isinstance(clearinghouse, AsksClaimStatus) else None
