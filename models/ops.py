"""What operations staff see in the morning: a failed or crashed run, and each run's summary figures."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.clock import utcnow
from models.types import UTCDateTime


class OpsAlert(SQLModel, table=True):
    """One flow run that failed or crashed (recorded by the alert deployment an automation starts), open
    until a run of the same flow completes or someone acknowledges it."""

    # a repeated failure event finds the alert already recorded (tasks/alerting.py)
    __table_args__ = (UniqueConstraint("flow_run_id", "state", name="uq_opsalert_run_state"),)

    id: int | None = Field(default=None, primary_key=True)
    flow_run_id: str = Field(max_length=40, index=True)
    flow_name: str | None = Field(default=None, max_length=40, index=True)
    run_name: str = Field(max_length=120)
    state: str = Field(max_length=20)
    cause: str | None = Field(default=None, max_length=500)  # the run's one-line state message (IDs only)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    acknowledged_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    resolved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    resolved_by: str | None = Field(default=None, max_length=120)  # the run that completed, or "acknowledged"


class RunReport(SQLModel, table=True):
    """The figures one run published (counts and money, IDs only), so the next run can compare."""

    id: int | None = Field(default=None, primary_key=True)
    flow_name: str = Field(max_length=40, index=True)
    flow_run_id: str = Field(max_length=40, unique=True)  # a retried run keeps its ID and replaces its figures
    run_name: str = Field(max_length=120)
    practice_date: date
    figures: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
