"""Retry from the UI, proven against a real Prefect server: the failed daily run is set back to
Scheduled/AwaitingRetry exactly as the UI's Retry button does, completes, skips the steps that had
completed, and every claim reaches the clearinghouse exactly once."""

from collections import defaultdict

import pytest
from sqlmodel import Session, select

from models.ops import OpsAlert
from tasks.runtime import engine_for
from tests.integration.conftest import Stack, fail_a_daily_run, received_once, record
from tests.waiting import wait_for

pytestmark = pytest.mark.integration
RETRY = {"state": {"type": "SCHEDULED", "name": "AwaitingRetry", "message": "Retry from the UI"}, "force": True}
DONE_BEFORE_THE_FAILURE = ("draft-claims", "refresh-eligibility", "scrub-claims", "assemble-837p")


def _task_states(stack: Stack, run_id: str) -> dict[str, list[str]]:
    runs = stack.prefect.call("POST", "/task_runs/filter", json={"flow_runs": {"id": {"any_": [run_id]}}})
    states: dict[str, list[str]] = defaultdict(list)
    for task_run in sorted(runs, key=lambda r: r["expected_start_time"]):
        states[task_run["name"].rsplit("-", 1)[0]].append(task_run["state_name"])
    return states


def test_a_failed_daily_run_retried_as_the_ui_does_completes_without_redoing_or_resending(stack: Stack) -> None:
    run_id, first = fail_a_daily_run(stack)
    assert first["state_type"] == "FAILED"
    with Session(engine_for(stack.database_url)) as s:
        alert = wait_for(lambda: s.exec(select(OpsAlert)).first(), 90, "the failure alert")
    assert alert.flow_run_id == run_id and alert.state == "Failed" and alert.run_name == first["name"]

    stack.prefect.call("POST", f"/flow_runs/{run_id}/set_state", json=RETRY)
    second = stack.prefect.wait_run(run_id)
    assert second["state_type"] == "COMPLETED" and second["run_count"] == 2

    states = _task_states(stack, run_id)
    for step in DONE_BEFORE_THE_FAILURE:
        assert states[step] == ["Completed", "Cached"], (step, states[step])
    assert states["submit-batches"][-1] == "Completed"
    received, sent = received_once(stack)
    assert sent and len(received) == len(set(received)) and sorted(received) == sent
    retried = second["total_run_time"] - first["total_run_time"]  # running time is summed over both attempts
    timings = {"first_run_seconds": first["total_run_time"], "retried_run_seconds": retried, "claims": len(sent)}
    record("ui-retry", timings)
