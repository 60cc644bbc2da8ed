"""A failed night becomes an alert with its cause and a link to the run; a later completed run closes it."""

from collections.abc import Callable

from sqlmodel import Session

from models.ops import OpsAlert
from tasks.runtime import engine_for


def test_the_alert_carries_the_cause_links_the_failed_run_and_closes_when_a_run_completes(
    prefect_harness, billing: str, submissions_fail: Callable[[], None]
) -> None:
    from prefect.artifacts import Artifact
    from prefect.client.orchestration import get_client

    from flows.alerts import record_failure
    from flows.claims import daily_claims

    failed = daily_claims(collect=False, return_state=True)
    run_id = str(failed.state_details.flow_run_id)
    alert_id = record_failure(flow_run_id=run_id, state="Failed")
    assert record_failure(flow_run_id=run_id, state="Failed") == alert_id  # the event again: the same alert
    with Session(engine_for(billing)) as s:
        alert = s.get(OpsAlert, alert_id)
        assert alert is not None and alert.resolved_at is None
        assert (alert.flow_name, alert.cause) == ("daily-claims", failed.message)
        with get_client(sync_client=True) as client:
            assert alert.run_name == client.read_flow_run(run_id).name  # type: ignore[arg-type]
    page = str(Artifact.get("ops-alert").data)  # type: ignore[union-attr]
    assert failed.message in page and f"/runs/flow-run/{run_id})" in page and "press **Retry**" in page
    assert f"groupbill alerts ack {alert_id}" in page

    submissions_fail()  # the clearinghouse answers again
    done = daily_claims(collect=False, return_state=True)
    assert done.is_completed()
    with Session(engine_for(billing)) as s:
        alert = s.get(OpsAlert, alert_id)
        with get_client(sync_client=True) as client:
            assert alert is not None and alert.resolved_by == client.read_flow_run(done.state_details.flow_run_id).name
