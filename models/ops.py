"""What operations staff must see in the morning: a failed or crashed scheduled run."""

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from models.clock import utcnow
from models.types import UTCDateTime


class OpsAlert(SQLModel, table=True):
    """One flow run that failed or crashed (recorded by the alert deployment an automation starts)."""

    # a repeated failure event finds the alert already recorded (tasks/alerting.py)
    __table_args__ = (UniqueConstraint("flow_run_id", "state", name="uq_opsalert_run_state"),)

    id: int | None = Field(default=None, primary_key=True)
    flow_run_id: str = Field(max_length=40, index=True)
    run_name: str = Field(max_length=120)
    state: str = Field(max_length=20)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    acknowledged_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
