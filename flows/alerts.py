"""The record-alert flow: an automation starts it when a scheduled run fails or crashes, so a failed
night is a row in the database and an artifact in the UI by morning: the cause, a link to the failed
run, what to do. IDs, run names and causes only."""

from prefect import flow
from prefect.runtime import flow_run

from flows.naming import run_name
from tasks.failures import explained
from tasks.ops import publish_alert, record_alert
from tasks.privacy import protect_logs


def alert_run_name() -> str:
    """e.g. record-alert-2026-12-01T06:03:10-event-Failed-daily-claims-2026-12-01T06:00:04-schedule."""
    params = flow_run.parameters
    return run_name("record-alert", params.get("state", "Failed"), _failed_run_name(str(params.get("flow_run_id"))))


def _failed_run_name(flow_run_id: str) -> str:
    """The failed run's own name (its ID if Prefect cannot say)."""
    from prefect.client.orchestration import get_client

    try:
        with get_client(sync_client=True) as client:
            return client.read_flow_run(flow_run_id).name  # type: ignore[arg-type]
    except Exception:  # noqa: BLE001 (a name is no reason to fail the alert)
        return f"run-{flow_run_id}"


@flow(name="record-alert", flow_run_name=alert_run_name)
@explained
def record_failure(flow_run_id: str, state: str = "Failed") -> int:
    """Record that flow run `flow_run_id` ended `state`; the alert's ID."""
    protect_logs()
    alert_id, _ = record_alert(flow_run_id, state)
    publish_alert(alert_id, flow_run_id)
    return alert_id
