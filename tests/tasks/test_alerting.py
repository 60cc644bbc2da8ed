"""One alert row per failed run and state, however often (and however concurrently) the event arrives."""

import threading

import pytest
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from models.db import session_scope
from models.ops import OpsAlert
from tasks.alerting import FailedRun, acknowledge, list_alerts, remember_alert, resolve_alerts
from tests.waiting import still_running


def _run(run_id: str, state: str, flow: str = "daily-claims") -> FailedRun:
    return FailedRun(run_id, flow, f"{flow}-2026-11-27T06:00:04-schedule", state, "submit-batches: clearinghouse down")


def _alerts(engine: Engine) -> list[OpsAlert]:
    with Session(engine) as s:
        return list(s.exec(select(OpsAlert)).all())


def test_a_repeated_event_finds_the_same_alert(engine: Engine) -> None:
    with session_scope(engine) as s:
        first = remember_alert(s, _run("run-1", "Failed"))
    with session_scope(engine) as s:
        assert remember_alert(s, _run("run-1", "Failed")) == first
        crashed = remember_alert(s, _run("run-1", "Crashed"))
    alerts = _alerts(engine)
    assert crashed != first and len(alerts) == 2
    assert all(a.created_at.tzinfo is not None and a.acknowledged_at is None for a in alerts)


def test_two_workers_handling_the_same_event_at_once_record_one_alert(engine: Engine) -> None:
    """The second waits for the first's transaction, then finds its row instead of adding another."""
    found: list[int] = []

    def second() -> None:
        with session_scope(engine) as s:
            found.append(remember_alert(s, _run("run-2", "Failed")))

    with session_scope(engine) as s:
        first = remember_alert(s, _run("run-2", "Failed"))
        overlapping = threading.Thread(target=second)
        overlapping.start()
        assert still_running(overlapping, 1.0)  # waiting for this transaction
    overlapping.join(timeout=60)
    assert found == [first] and len(_alerts(engine)) == 1


def test_the_table_refuses_a_second_row_for_a_run_and_state(engine: Engine) -> None:
    with Session(engine) as s:
        s.add(OpsAlert(flow_run_id="run-3", run_name="x", state="Failed"))
        s.add(OpsAlert(flow_run_id="run-3", run_name="x", state="Failed"))
        with pytest.raises(IntegrityError):
            s.commit()


def test_a_completed_run_of_the_flow_closes_its_open_alerts_and_no_other_flow_s(engine: Engine) -> None:
    with session_scope(engine) as s:
        remember_alert(s, _run("run-4", "Failed"))
        remember_alert(s, _run("run-5", "Crashed"))
        other = remember_alert(s, _run("run-6", "Failed", flow="collect-reports"))
    with session_scope(engine) as s:
        assert resolve_alerts(s, "daily-claims", "daily-claims-2026-11-28T06:00:02-schedule") == 2
        assert resolve_alerts(s, "daily-claims", "again") == 0
        assert [a.id for a in list_alerts(s, only_open=True)] == [other]
    closed = [a for a in _alerts(engine) if a.flow_name == "daily-claims"]
    assert {a.resolved_by for a in closed} == {"daily-claims-2026-11-28T06:00:02-schedule"}
    assert all(a.cause == "submit-batches: clearinghouse down" for a in closed)


def test_acknowledging_closes_an_alert_and_an_unknown_one_is_a_clear_error(engine: Engine) -> None:
    from models.errors import InputError

    with session_scope(engine) as s:
        alert_id = remember_alert(s, _run("run-7", "Failed"))
    with session_scope(engine) as s:
        acknowledged = acknowledge(s, alert_id)
        assert acknowledged.resolved_by == "acknowledged" and acknowledged.acknowledged_at is not None
        with pytest.raises(InputError, match="alert 999: no such alert"):
            acknowledge(s, 999)
    assert list_alerts(Session(engine), only_open=True) == []
