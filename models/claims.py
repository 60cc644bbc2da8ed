"""Claims (one attendee, one session), their lines, scrub findings and status history."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from models.clock import utcnow
from models.enums import ClaimFrequency, ClaimStatus, PayerSequence, Severity
from models.types import Money, UTCDateTime, enum_type

# One live original claim per attendance and payer sequence (the primary's claim, the secondary's,
# the tertiary's). A claim the clearinghouse or payer rejected never reached adjudication, so the fix
# goes out as a new original; a claim a payer denied as billed in the wrong payer order (CARC 22) is
# closed as `corrected` by its rebill. Either stays as history.
_ONE_ORIGINAL_WHERE = text("frequency = '1' AND status NOT IN ('rejected', 'corrected')")
# A claim has at most one live successor (resend, replacement or void); closed ones do not count.
# tasks/fixing/corrections.py checks the same first and says so in one line; this holds under any caller.
_ONE_LIVE_SUCCESSOR_WHERE = text("original_claim_id IS NOT NULL AND status NOT IN ('rejected', 'corrected', 'voided')")


class Claim(SQLModel, table=True):
    """One attendee's claim for one group session (one CLM in an 837P)."""

    __table_args__ = (
        Index(
            "uq_claim_original_per_attendance",
            "attendance_id",
            "payer_sequence",
            unique=True,
            sqlite_where=_ONE_ORIGINAL_WHERE,
            postgresql_where=_ONE_ORIGINAL_WHERE,
        ),
        Index(
            "uq_claim_live_successor",
            "original_claim_id",
            unique=True,
            sqlite_where=_ONE_LIVE_SUCCESSOR_WHERE,
            postgresql_where=_ONE_LIVE_SUCCESSOR_WHERE,
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    practice_id: int = Field(foreign_key="practice.id", index=True)
    attendance_id: int = Field(foreign_key="attendance.id", index=True)
    session_id: int = Field(foreign_key="groupsession.id", index=True)
    patient_id: int = Field(foreign_key="patient.id", index=True)
    coverage_id: int = Field(foreign_key="coverage.id", index=True)
    payer_id: int = Field(foreign_key="payer.id", index=True)
    rendering_provider_id: int | None = Field(default=None, foreign_key="provider.id")
    authorization_id: int | None = Field(default=None, foreign_key="authorization.id")
    batch_id: int | None = Field(default=None, foreign_key="submissionbatch.id", index=True)
    original_claim_id: int | None = Field(default=None, foreign_key="claim.id", index=True)
    payer_sequence: PayerSequence = Field(
        default=PayerSequence.PRIMARY, sa_type=enum_type(PayerSequence), sa_column_kwargs={"server_default": "P"}
    )
    prior_claim_id: int | None = Field(default=None, foreign_key="claim.id", index=True)  # the prior payer's claim
    crossover: bool = Field(default=False, sa_column_kwargs={"server_default": text("false")})  # forwarded to us
    # the coverage IDs in payer order on the date of service when the claim was last scrubbed
    coverage_order: list[int] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, server_default=text("'[]'"))
    )
    service_date: date = Field(index=True)
    frequency: ClaimFrequency = Field(default=ClaimFrequency.ORIGINAL, sa_type=enum_type(ClaimFrequency))
    patient_control_number: str | None = Field(default=None, unique=True, max_length=20)
    payer_claim_number: str | None = Field(default=None, max_length=50)
    status: ClaimStatus = Field(default=ClaimStatus.DRAFT, sa_type=enum_type(ClaimStatus), index=True)
    status_changed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    place_of_service: str = Field(max_length=2)
    diagnoses: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    total_charge: Decimal = Field(default=Decimal("0.00"), sa_type=Money)
    ruleset_hash: str | None = Field(default=None, max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ClaimLine(SQLModel, table=True):
    """One service line (2400 loop): a CPT code, its modifiers, units and charge."""

    __table_args__ = (UniqueConstraint("claim_id", "line_number"),)

    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = Field(foreign_key="claim.id", index=True)
    line_number: int = Field(ge=1, le=50)
    cpt_code: str = Field(max_length=5)
    modifiers: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    units: int = Field(default=1, ge=1)
    charge: Decimal = Field(sa_type=Money)
    diagnosis_pointers: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    line_control_number: str | None = Field(default=None, unique=True, max_length=50)


class Finding(SQLModel, table=True):
    """A rule from RULES.md that fired on a claim; resolved ones stay as history."""

    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = Field(foreign_key="claim.id", index=True)
    rule_id: str = Field(max_length=40, index=True)
    severity: Severity = Field(sa_type=enum_type(Severity))
    message: str
    ruleset_hash: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    resolved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ClaimEvent(SQLModel, table=True):
    """Append-only status history of a claim. IDs and codes only: no patient data."""

    __table_args__ = (Index("ix_claimevent_claim_time", "claim_id", "occurred_at"),)

    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = Field(foreign_key="claim.id")
    from_status: ClaimStatus | None = Field(default=None, sa_type=enum_type(ClaimStatus))
    to_status: ClaimStatus = Field(sa_type=enum_type(ClaimStatus))
    occurred_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    source: str = Field(max_length=80)
    reason: str | None = Field(default=None, max_length=200)
    rule_ids: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    details: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
