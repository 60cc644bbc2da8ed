"""Prefect tasks of the record-alert flow: look the failed run up, keep an alert row, show an artifact."""

from prefect.artifacts import create_markdown_artifact
from prefect.client.orchestration import get_client

from models.db import session_scope
from tasks.alerting import remember_alert
from tasks.retrying import step_task
from tasks.runtime import billing_engine


@step_task("record-alert")
def record_alert(flow_run_id: str, state: str) -> tuple[int, str]:
    """One alert row per failed run and state (a repeated event changes nothing); (alert ID, run name)."""
    with get_client(sync_client=True) as client:
        run_name = client.read_flow_run(flow_run_id).name  # type: ignore[arg-type]
    with session_scope(billing_engine()) as session:
        return remember_alert(session, flow_run_id, run_name, state), run_name


@step_task("publish-alert")
def publish_alert(alert_id: int, run_name: str, state: str) -> None:
    """A markdown artifact the morning shift sees first."""
    create_markdown_artifact(
        key="ops-alert",
        markdown=f"# {state}: {run_name}\n\nAlert {alert_id}. Open the run, fix the cause, then Retry it.",
        description=f"{run_name} {state}",
    )
