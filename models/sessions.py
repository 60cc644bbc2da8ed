"""Group programs, sessions, who led them, who attended, and each attendee's note."""

from datetime import date, datetime, time

from sqlalchemy import JSON, Column, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from models.enums import AttendanceStatus, Modality, SessionStatus, SessionType
from models.types import UTCDateTime, enum_type


class GroupProgram(SQLModel, table=True):
    """A recurring group (e.g. a DBT skills group) whose sessions share defaults."""

    __table_args__ = (UniqueConstraint("practice_id", "source_id"),)

    id: int | None = Field(default=None, primary_key=True)
    practice_id: int = Field(foreign_key="practice.id", index=True)
    source_id: str = Field(max_length=64)
    name: str = Field(max_length=120)
    session_type: SessionType = Field(sa_type=enum_type(SessionType))
    modality: Modality = Field(sa_type=enum_type(Modality))
    place_of_service: str = Field(max_length=2)


class GroupSession(SQLModel, table=True):
    """One meeting of a group: the unit a billing roll-up is shown for."""

    __table_args__ = (UniqueConstraint("practice_id", "source_id"),)

    id: int | None = Field(default=None, primary_key=True)
    practice_id: int = Field(foreign_key="practice.id", index=True)
    source_id: str = Field(max_length=64)
    program_id: int = Field(foreign_key="groupprogram.id", index=True)
    service_date: date = Field(index=True)
    start_time: time | None = None
    end_time: time | None = None
    place_of_service: str = Field(max_length=2)
    modality: Modality = Field(sa_type=enum_type(Modality))
    session_type: SessionType = Field(sa_type=enum_type(SessionType))
    status: SessionStatus = Field(default=SessionStatus.HELD, sa_type=enum_type(SessionStatus))
    leader_id: int | None = Field(default=None, foreign_key="provider.id")
    focus: str | None = None
    goals: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    participant_count: int | None = None


class SessionCoLeader(SQLModel, table=True):
    """A clinician who co-led a session besides its leader."""

    __table_args__ = (UniqueConstraint("session_id", "provider_id"),)

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="groupsession.id", index=True)
    provider_id: int = Field(foreign_key="provider.id")


class Attendance(SQLModel, table=True):
    """One row of a session's roster; the billable unit is built from this (one original claim each).

    A patient is normally on a roster once (`occurrence` 0). EHR exports sometimes list one twice: the
    second row is kept as occurrence 1, drafts a claim of its own, and the DUP_ rules hold that claim,
    so the duplicate is seen and fixed instead of refusing the practice's whole bundle.
    """

    __table_args__ = (UniqueConstraint("session_id", "patient_id", "occurrence", name="uq_attendance_roster_row"),)

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="groupsession.id", index=True)
    patient_id: int = Field(foreign_key="patient.id", index=True)
    occurrence: int = Field(default=0, ge=0, sa_column_kwargs={"server_default": "0"})
    status: AttendanceStatus = Field(sa_type=enum_type(AttendanceStatus))
    interactive_complexity: bool = False
    interactive_complexity_factors: list[str] = Field(  # InteractiveComplexityFactor values; 90785 needs one
        default_factory=list, sa_column=Column(JSON, nullable=False, server_default=text("'[]'"))
    )
    interactive_complexity_reason: str | None = None
    rendering_provider_id: int | None = Field(default=None, foreign_key="provider.id")
    place_of_service: str | None = Field(default=None, max_length=2)
    modality: Modality | None = Field(default=None, sa_type=enum_type(Modality))
    diagnoses: list[str] | None = Field(default=None, sa_column=Column(JSON, nullable=True))


class ProgressNote(SQLModel, table=True):
    """The per-attendee part of a group note: what this patient did and how they responded."""

    id: int | None = Field(default=None, primary_key=True)
    attendance_id: int = Field(foreign_key="attendance.id", unique=True)
    author_id: int | None = Field(default=None, foreign_key="provider.id")
    signer_id: int | None = Field(default=None, foreign_key="provider.id")
    signed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    participation: str | None = None
    response: str | None = None
    goals_addressed: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    interventions: str | None = None
    plan: str | None = None


class OtherService(SQLModel, table=True):
    """A service billed outside groupbill (e.g. an individual session), for same-day edits."""

    __table_args__ = (UniqueConstraint("practice_id", "source_id"),)

    id: int | None = Field(default=None, primary_key=True)
    practice_id: int = Field(foreign_key="practice.id", index=True)
    source_id: str = Field(max_length=64)
    patient_id: int = Field(foreign_key="patient.id", index=True)
    service_date: date = Field(index=True)
    cpt_code: str = Field(max_length=5)
    modifiers: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    rendering_provider_id: int | None = Field(default=None, foreign_key="provider.id")
    start_time: time | None = None
    end_time: time | None = None
