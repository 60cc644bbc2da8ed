"""One alert row per failed run and state, however often (and however concurrently) the event arrives."""

import threading

import pytest
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from models.db import session_scope
from models.ops import OpsAlert
from tasks.alerting import remember_alert
from tests.waiting import still_running


def _alerts(engine: Engine) -> list[OpsAlert]:
    with Session(engine) as s:
        return list(s.exec(select(OpsAlert)).all())


def test_a_repeated_event_finds_the_same_alert(engine: Engine) -> None:
    with session_scope(engine) as s:
        first = remember_alert(s, "run-1", "daily-claims-2026-11-27", "Failed")
    with session_scope(engine) as s:
        assert remember_alert(s, "run-1", "daily-claims-2026-11-27", "Failed") == first
        crashed = remember_alert(s, "run-1", "daily-claims-2026-11-27", "Crashed")
    alerts = _alerts(engine)
    assert crashed != first and len(alerts) == 2
    assert all(a.created_at.tzinfo is not None and a.acknowledged_at is None for a in alerts)


def test_two_workers_handling_the_same_event_at_once_record_one_alert(engine: Engine) -> None:
    """The second waits for the first's transaction, then finds its row instead of adding another."""
    found: list[int] = []

    def second() -> None:
        with session_scope(engine) as s:
            found.append(remember_alert(s, "run-2", "daily-claims-2026-11-28", "Failed"))

    with session_scope(engine) as s:
        first = remember_alert(s, "run-2", "daily-claims-2026-11-28", "Failed")
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
