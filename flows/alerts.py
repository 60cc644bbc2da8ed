"""The record-alert flow: an automation starts it when a daily_claims run fails or crashes, so a failed
night is a row in the database and an artifact in the UI by morning. IDs and the run name only."""

from prefect import flow

from tasks.ops import publish_alert, record_alert
from tasks.privacy import protect_logs


@flow(name="record-alert", flow_run_name="alert-{state}-{flow_run_id}")
def record_failure(flow_run_id: str, state: str = "Failed") -> int:
    """Record that flow run `flow_run_id` ended `state`; the alert's ID."""
    protect_logs()
    alert_id, run_name = record_alert(flow_run_id, state)
    publish_alert(alert_id, run_name, state)
    return alert_id
