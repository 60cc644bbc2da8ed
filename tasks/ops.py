"""Prefect tasks for operations staff: record a failed run as an alert (with its cause and a link to the
run), show it, and close a flow's alerts once a run of it completes."""

from typing import Any

from prefect.artifacts import create_markdown_artifact
from prefect.client.orchestration import get_client

from models.db import session_scope
from tasks.alerting import FailedRun, list_alerts, remember_alert, resolve_alert, resolve_alerts
from tasks.retrying import step_task
from tasks.runtime import billing_engine

STILL_FAILED = {"FAILED", "CRASHED"}


@step_task("record-alert")
def record_alert(flow_run_id: str, state: str) -> tuple[int, str]:
    """One alert row per failed run and state (a repeated event changes nothing); (alert ID, run name).

    A Retry that already succeeded by the time the event is handled closes the alert at once."""
    with get_client(sync_client=True) as client:
        run = client.read_flow_run(flow_run_id)  # type: ignore[arg-type]
        flow_name = client.read_flow(run.flow_id).name
    message = run.state.message if run.state and run.state.type.value in STILL_FAILED else None
    failed = FailedRun(flow_run_id, flow_name, run.name, state, message)
    with session_scope(billing_engine()) as session:
        alert_id = remember_alert(session, failed)
        if run.state is not None and run.state.type.value not in STILL_FAILED:
            resolve_alert(session, alert_id, f"{run.name} ({run.state.type.value.lower()} after a retry)")
    return alert_id, run.name


@step_task("publish-alert")
def publish_alert(alert_id: int, flow_run_id: str) -> None:
    """A markdown artifact the morning shift sees first: the cause, a link to the failed run, what to do."""
    from config.settings import get_settings
    from models.ops import OpsAlert
    from tasks.reporting.alerts_md import alert_markdown

    with session_scope(billing_engine()) as session:
        this = session.get(OpsAlert, alert_id)
        markdown = alert_markdown(this, list_alerts(session, only_open=True), _run_url, get_settings().timezone)
    create_markdown_artifact(
        key="ops-alert", markdown=markdown, description=f"Alert {alert_id}: run {flow_run_id} (IDs only)"
    )


@step_task("close-alerts")
def close_alerts(flow_name: str, run_name: str) -> int:
    """This run of `flow_name` completed: its open alerts (this run's, after a Retry, or an earlier
    night's) are closed; how many."""
    with session_scope(billing_engine()) as session:
        return resolve_alerts(session, flow_name, run_name)


def _run_url(flow_run_id: str) -> str | None:
    """The failed run's page in the Prefect UI (None when no UI is configured)."""
    from prefect.settings import PREFECT_UI_URL

    base: Any = PREFECT_UI_URL.value()
    return f"{str(base).rstrip('/')}/runs/flow-run/{flow_run_id}" if base else None
