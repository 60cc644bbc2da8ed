"""Run names: flow, the practice's local time, what started the run, what it is about."""

import re
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import pytest

from flows.naming import run_name, started_by, window


def _context(monkeypatch: pytest.MonkeyPatch, **run: Any) -> None:
    from prefect.context import FlowRunContext

    fields = {"deployment_id": "d-1", "auto_scheduled": False, "created_by": None, **run}
    monkeypatch.setattr(
        FlowRunContext, "get", classmethod(lambda cls: SimpleNamespace(flow_run=SimpleNamespace(**fields)))
    )


@pytest.mark.parametrize(
    ("run", "label"),
    [
        ({"deployment_id": None}, "cli"),
        ({"auto_scheduled": True}, "schedule"),
        ({"created_by": SimpleNamespace(type="AUTOMATION")}, "event"),
        ({}, "manual"),
    ],
)
def test_what_started_the_run(monkeypatch: pytest.MonkeyPatch, run: dict[str, Any], label: str) -> None:
    _context(monkeypatch, **run)
    assert started_by() == label


def test_outside_a_flow_run_it_is_the_command_line() -> None:
    assert started_by() == "cli"


def test_names_carry_the_practice_s_local_time_and_the_subject(monkeypatch: pytest.MonkeyPatch, clock_at: Any) -> None:
    clock_at(datetime(2027, 1, 1, 4, 30, 5, tzinfo=UTC))  # 23:30:05 on New Year's Eve in New York
    _context(monkeypatch, auto_scheduled=True)
    assert run_name("daily-claims") == "daily-claims-2026-12-31T23:30:05-schedule"
    assert run_name("eligibility", "session-42") == "eligibility-2026-12-31T23:30:05-schedule-session-42"
    assert run_name("daily-claims", window("2026-11-01", None), "") == (
        "daily-claims-2026-12-31T23:30:05-schedule-dates-2026-11-01-to-now"
    )
    assert re.fullmatch(r"[a-z0-9:T-]+", run_name("x", window(None, "2026-12-01")))
