"""Alerts about failed or crashed runs: one per run and state however often the event arrives, open
until a run of the same flow completes (a Retry of the failed run, or the next night) or someone
acknowledges it."""

from dataclasses import dataclass

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from models.clock import utcnow
from models.errors import InputError
from models.ops import OpsAlert
from models.types import db_id

ACKNOWLEDGED = "acknowledged"


@dataclass(frozen=True, slots=True)
class FailedRun:
    """What an alert records of the run (IDs, the run's name and its one-line cause)."""

    flow_run_id: str
    flow_name: str | None
    run_name: str
    state: str
    cause: str | None = None


def remember_alert(session: Session, run: FailedRun) -> int:
    """The ID of the run's alert in this state, recorded now unless a repeated event (even one being
    handled at this moment by another worker) recorded it first."""
    dialect = sqlite if session.get_bind().dialect.name == "sqlite" else postgresql
    values = {
        "flow_run_id": run.flow_run_id,
        "flow_name": run.flow_name,
        "run_name": run.run_name[:120],
        "state": run.state,
        "cause": (run.cause or "")[:500] or None,
        "created_at": utcnow(),
    }
    session.execute(
        dialect.insert(OpsAlert).values(**values).on_conflict_do_nothing(index_elements=["flow_run_id", "state"])
    )
    found = session.exec(
        select(OpsAlert.id).where(OpsAlert.flow_run_id == run.flow_run_id, OpsAlert.state == run.state)
    )
    return db_id(found.one())


def resolve_alerts(session: Session, flow_name: str, by: str) -> int:
    """Close every open alert of `flow_name`: a run of it completed (`by` names that run); how many."""
    open_ones = (col(OpsAlert.flow_name) == flow_name, col(OpsAlert.resolved_at).is_(None))
    done = session.execute(update(OpsAlert).where(*open_ones).values(resolved_at=utcnow(), resolved_by=by[:120]))
    return int(done.rowcount or 0)  # type: ignore[attr-defined]


def resolve_alert(session: Session, alert_id: int, by: str) -> None:
    """Close one alert (its run completed after all, `by` says how)."""
    alert = session.get(OpsAlert, alert_id)
    if alert is not None and alert.resolved_at is None:
        alert.resolved_at, alert.resolved_by = utcnow(), by[:120]


def acknowledge(session: Session, alert_id: int) -> OpsAlert:
    """Someone has seen to the alert: acknowledged and closed (an alert already closed stays as it was)."""
    alert = session.get(OpsAlert, alert_id)
    if alert is None:
        raise InputError(f"alert {alert_id}: no such alert (`groupbill alerts list` shows them)")
    now = utcnow()
    alert.acknowledged_at = alert.acknowledged_at or now
    if alert.resolved_at is None:
        alert.resolved_at, alert.resolved_by = now, ACKNOWLEDGED
    return alert


def list_alerts(session: Session, *, only_open: bool = False) -> list[OpsAlert]:
    """Alerts, newest first (or only those still open)."""
    query = select(OpsAlert)
    if only_open:
        query = query.where(col(OpsAlert.resolved_at).is_(None))
    return list(session.exec(query.order_by(col(OpsAlert.id).desc())))
