"""Patients, their coverages, treatment plans and authorizations (with the units ledger)."""

from datetime import date, datetime

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.clock import utcnow
from models.enums import LedgerKind, Relationship, Sex, UnitKind
from models.types import UTCDateTime, enum_type


class Patient(SQLModel, table=True):
    """A patient of the practice (patient data: never in Prefect, logs or events)."""

    __table_args__ = (UniqueConstraint("practice_id", "source_id"),)

    id: int | None = Field(default=None, primary_key=True)
    practice_id: int = Field(foreign_key="practice.id", index=True)
    source_id: str = Field(max_length=64)
    first_name: str = Field(max_length=35)
    last_name: str = Field(max_length=60)
    birth_date: date | None = None
    sex: Sex | None = Field(default=None, sa_type=enum_type(Sex))
    address_line1: str | None = Field(default=None, max_length=55)
    city: str | None = Field(default=None, max_length=30)
    state: str | None = Field(default=None, max_length=2)
    zip_code: str | None = Field(default=None, max_length=10)


class Coverage(SQLModel, table=True):
    """A patient's insurance with one payer. On a date of service the coverages in force pay in priority
    order (the lowest first: primary, then secondary, then tertiary)."""

    __table_args__ = (UniqueConstraint("practice_id", "source_id"),)

    id: int | None = Field(default=None, primary_key=True)
    practice_id: int = Field(foreign_key="practice.id", index=True)
    source_id: str = Field(max_length=64)
    patient_id: int = Field(foreign_key="patient.id", index=True)
    payer_id: int = Field(foreign_key="payer.id", index=True)
    member_id: str | None = Field(default=None, max_length=80)
    group_number: str | None = Field(default=None, max_length=50)
    relationship: Relationship = Field(default=Relationship.SELF, sa_type=enum_type(Relationship))
    subscriber_first_name: str | None = Field(default=None, max_length=35)
    subscriber_last_name: str | None = Field(default=None, max_length=60)
    subscriber_birth_date: date | None = None
    subscriber_sex: Sex | None = Field(default=None, sa_type=enum_type(Sex))
    priority: int = Field(default=1, ge=1, le=3)
    msp_type: str | None = Field(default=None, max_length=2)  # Medicare Secondary Payer type (SBR05)
    effective_date: date | None = None
    termination_date: date | None = None

    def covers(self, day: date) -> bool:
        """True when the practice's own records say this coverage is in force on `day`."""
        starts_ok = self.effective_date is None or self.effective_date <= day
        return starts_ok and (self.termination_date is None or day <= self.termination_date)


class TreatmentPlan(SQLModel, table=True):
    """A treatment plan in force between two dates, with its goals and diagnoses."""

    __table_args__ = (UniqueConstraint("practice_id", "source_id"),)

    id: int | None = Field(default=None, primary_key=True)
    practice_id: int = Field(foreign_key="practice.id", index=True)
    source_id: str = Field(max_length=64)
    patient_id: int = Field(foreign_key="patient.id", index=True)
    start_date: date
    end_date: date | None = None
    goals: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    diagnoses: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))

    def in_force(self, day: date) -> bool:
        """True when the plan covers `day`."""
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)


class Authorization(SQLModel, table=True):
    """A payer's prior authorization for a patient, CPT codes and a date range."""

    __table_args__ = (UniqueConstraint("practice_id", "source_id"),)

    id: int | None = Field(default=None, primary_key=True)
    practice_id: int = Field(foreign_key="practice.id", index=True)
    source_id: str = Field(max_length=64)
    patient_id: int = Field(foreign_key="patient.id", index=True)
    payer_id: int = Field(foreign_key="payer.id", index=True)
    number: str = Field(max_length=50)
    cpt_codes: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    unit_kind: UnitKind = Field(default=UnitKind.UNITS, sa_type=enum_type(UnitKind))
    units_authorized: int = Field(ge=0)
    start_date: date
    end_date: date
    rendering_provider_id: int | None = Field(default=None, foreign_key="provider.id")
    per_week_limit: int | None = None


class AuthLedgerEntry(SQLModel, table=True):
    """One movement of authorization units; remaining units are derived, never stored."""

    id: int | None = Field(default=None, primary_key=True)
    authorization_id: int = Field(foreign_key="authorization.id", index=True)
    claim_id: int | None = Field(default=None, foreign_key="claim.id", index=True)
    kind: LedgerKind = Field(sa_type=enum_type(LedgerKind))
    units: int = Field(ge=0)
    occurred_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    source: str = Field(max_length=80)
