"""The alert row of a failed or crashed run: one per run and state, however often the event arrives."""

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from models.ops import OpsAlert
from models.types import db_id


def remember_alert(session: Session, flow_run_id: str, run_name: str, state: str) -> int:
    """The ID of the run's alert in this state, recorded now unless a repeated event (even one being
    handled at this moment by another worker) recorded it first."""
    dialect = sqlite if session.get_bind().dialect.name == "sqlite" else postgresql
    session.execute(
        dialect.insert(OpsAlert)
        .values(flow_run_id=flow_run_id, run_name=run_name[:120], state=state)
        .on_conflict_do_nothing(index_elements=["flow_run_id", "state"])
    )
    found = session.exec(select(OpsAlert.id).where(OpsAlert.flow_run_id == flow_run_id, OpsAlert.state == state))
    return db_id(found.one())
