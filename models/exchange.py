"""What goes to and comes from the clearinghouse: eligibility, batches, acks, remittances."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from models.clock import utcnow
from models.enums import BatchStatus
from models.types import Money, UTCDateTime, enum_type


class EligibilityCheck(SQLModel, table=True):
    """One 270/271 exchange for a coverage and a date of service, with its benefit summary."""

    id: int | None = Field(default=None, primary_key=True)
    coverage_id: int = Field(foreign_key="coverage.id", index=True)
    service_date: date
    service_type: str = Field(default="MH", max_length=2)
    checked_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    outcome: str = Field(max_length=20)
    raw_271: str | None = None
    summary: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class SubmissionBatch(SQLModel, table=True):
    """One 837P interchange for one payer: persisted before anything is sent."""

    id: int | None = Field(default=None, primary_key=True)
    practice_id: int = Field(foreign_key="practice.id", index=True)
    payer_id: int = Field(foreign_key="payer.id", index=True)
    interchange_control_number: str = Field(unique=True, max_length=9)
    status: BatchStatus = Field(default=BatchStatus.BUILT, sa_type=enum_type(BatchStatus))
    claim_count: int = 0
    file_path: str | None = None
    file_size: int | None = None  # bytes of the 837P as assembled (what an upload must match)
    file_sha256: str | None = Field(default=None, max_length=64)
    receipt_id: str | None = Field(default=None, max_length=80)
    connection: str | None = Field(default=None, max_length=24)  # the clearinghouse connection of its envelope
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Acknowledgement(SQLModel, table=True):
    """A 999 or 277CA document fetched from the clearinghouse (applied once)."""

    id: int | None = Field(default=None, primary_key=True)
    document_id: str = Field(unique=True, max_length=80)
    kind: str = Field(max_length=8)
    batch_id: int | None = Field(default=None, foreign_key="submissionbatch.id")
    received_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    raw: str


class Remittance(SQLModel, table=True):
    """One 835 payment (BPR/TRN); the same payer and trace number is posted once."""

    __table_args__ = (UniqueConstraint("payer_identifier", "trace_number"),)

    id: int | None = Field(default=None, primary_key=True)
    payer_id: int | None = Field(default=None, foreign_key="payer.id")
    payer_identifier: str = Field(max_length=80)
    trace_number: str = Field(max_length=50)
    payment_amount: Decimal = Field(sa_type=Money)
    payment_method: str = Field(max_length=3)
    payment_date: date | None = None
    received_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    report_id: str | None = Field(default=None, max_length=80)
    imbalances: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    raw: str


class ClaimPayment(SQLModel, table=True):
    """One CLP of an 835; claim_id is empty when it matched none of our claims."""

    id: int | None = Field(default=None, primary_key=True)
    remittance_id: int = Field(foreign_key="remittance.id", index=True)
    claim_id: int | None = Field(default=None, foreign_key="claim.id", index=True)
    patient_control_number: str = Field(max_length=38)
    status_code: str = Field(max_length=2)
    charge: Decimal = Field(sa_type=Money)
    paid: Decimal = Field(sa_type=Money)
    patient_responsibility: Decimal = Field(default=Decimal("0.00"), sa_type=Money)
    allowed: Decimal = Field(default=Decimal("0.00"), sa_type=Money)
    payer_claim_number: str | None = Field(default=None, max_length=50)
    posted_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # MOA / MIA remark codes (outpatient or inpatient adjudication remarks, e.g. Medicare's MA18)
    remark_codes: list[str] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, server_default=text("'[]'"))
    )


class LinePayment(SQLModel, table=True):
    """One 835 service line (SVC) as the payer adjudicated it: what the next payer's 2430 loop repeats."""

    id: int | None = Field(default=None, primary_key=True)
    claim_payment_id: int = Field(foreign_key="claimpayment.id", index=True)
    position: int = Field(ge=1)  # its place among the claim payment's lines
    line_control_number: str | None = Field(default=None, max_length=50)
    procedure_code: str = Field(max_length=48)
    modifiers: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    charge: Decimal = Field(sa_type=Money)
    paid: Decimal = Field(sa_type=Money)
    units: str = Field(default="1", max_length=15)  # SVC05 as the payer wrote it


class PaymentAdjustment(SQLModel, table=True):
    """One CAS adjustment, at claim level or on a line (line_control_number set)."""

    id: int | None = Field(default=None, primary_key=True)
    claim_payment_id: int = Field(foreign_key="claimpayment.id", index=True)
    line_control_number: str | None = Field(default=None, max_length=50)
    group_code: str = Field(max_length=2)
    reason_code: str = Field(max_length=5)
    amount: Decimal = Field(sa_type=Money)
    remark_codes: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class ReportCursor(SQLModel, table=True):
    """Where report polling stopped, per clearinghouse: the next poll asks for what came after."""

    name: str = Field(primary_key=True, max_length=40)
    value: str = Field(max_length=1024)  # an API's page token (Stedi's nextPageToken: up to 1024 characters)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class WorkItem(SQLModel, table=True):
    """Something ops staff must do about a claim (or an 835 claim that matched none): one queue each.

    Queues are RULES.md's acknowledgement and remittance categories plus UNMATCHED_REMITTANCE
    and TIMELY_FILING, and the claim status follow-up's MISSING_CLAIM (not found: check, resend),
    MISSING_ERA (paid, no 835) and REQUESTED_INFO (the payer wants information); `codes` are the X12
    codes behind it and `explanation` says them in words.
    """

    id: int | None = Field(default=None, primary_key=True)
    claim_id: int | None = Field(default=None, foreign_key="claim.id", index=True)
    claim_payment_id: int | None = Field(default=None, foreign_key="claimpayment.id")
    queue: str = Field(max_length=30, index=True)
    codes: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    explanation: str
    source: str = Field(max_length=80)
    opened_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    resolved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ClaimStatusCheck(SQLModel, table=True):
    """One 276 question about a claim that went quiet, and the payer's 277 answer once it came: the claim's
    status-inquiry timeline (IDs and codes; the raw answer names the patient, as a stored 271 does)."""

    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = Field(foreign_key="claim.id", index=True)
    asked_on: date  # the practice's date the question was asked for (what `status_every_days` counts from)
    asked_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    reason: str = Field(max_length=20)  # no-277ca, no-835, asked (by hand)
    channel: str = Field(max_length=12)  # real-time, or mailbox (a 276 batch answered by a later report)
    trace_number: str | None = Field(default=None, unique=True, max_length=30)  # TRN*1, repeated in TRN*2
    source: str = Field(max_length=80)
    answered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    category: str | None = Field(default=None, max_length=3)  # STC01-1 of the answer: A4, P1, F1, ...
    status_code: str | None = Field(default=None, max_length=5)
    entity: str | None = Field(default=None, max_length=3)
    statuses: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))  # cat:code[:entity]
    outcome: str | None = Field(default=None, max_length=20)  # what groupbill made of it (tasks/claim_status)
    payer_claim_number: str | None = Field(default=None, max_length=50)
    paid: Decimal | None = Field(default=None, sa_type=Money)
    adjudicated_on: date | None = None
    raw: str | None = None
