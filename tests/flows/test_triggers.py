"""The eligibility starters against a real Prefect API: the session-scheduled event and the REST call."""

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, select

from models.exchange import EligibilityCheck
from models.sessions import GroupSession
from tasks.eligibility.roster import roster_coverage_dates
from tasks.runtime import engine_for
from tests.conftest import TODAY
from tests.waiting import wait_for

ROOT = Path(__file__).resolve().parents[2]
DEPLOYMENT = "eligibility-check/morning-and-events"


def _api(method: str, path: str, **kwargs: Any) -> Any:
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        response = client.request(method, path, **kwargs)  # type: ignore[arg-type]
    response.raise_for_status()
    return response


def _session(url: str, source_id: str) -> GroupSession:
    with Session(engine_for(url)) as s:
        return s.exec(select(GroupSession).where(GroupSession.source_id == source_id)).one()


def _runs_of(deployment_id: str) -> list[dict[str, Any]]:
    body = {"deployments": {"id": {"any_": [deployment_id]}}}
    return _api("POST", "/flow_runs/filter", json=body).json()


@pytest.fixture
def served(prefect_harness, billing: str, tmp_path: Path) -> Iterator[str]:
    """`python -m deployments.serve` against the test API, polling every second; yields the deployment ID."""
    from prefect.settings import PREFECT_API_URL

    env = {**os.environ, "PREFECT_API_URL": str(PREFECT_API_URL.value()), "PREFECT_RUNNER_POLL_FREQUENCY": "1"}
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen([sys.executable, "-m", "deployments.serve"], cwd=ROOT, env=env, stdout=log, stderr=log)
    try:
        deployment = wait_for(lambda: _deployment_id(), 60, "the served deployment")
        wait_for(lambda: _api("POST", "/automations/filter", json={}).json(), 30, "the trigger's automation")
        yield deployment
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def _deployment_id() -> str | None:
    from prefect.exceptions import PrefectHTTPStatusError

    try:
        return str(_api("GET", f"/deployments/name/{DEPLOYMENT}").json()["id"])
    except PrefectHTTPStatusError:
        return None


def test_the_event_runs_eligibility_for_exactly_that_session(served: str, billing: str) -> None:
    from tasks.eligibility.announce import announce_scheduled

    target = _session(billing, "GRP-DEP-20261125")
    assert target.id is not None
    announce_scheduled([(target.id, target.service_date)], datetime.now(UTC))

    def finished() -> list[dict[str, Any]]:
        runs = [r for r in _runs_of(served) if r["parameters"].get("session_id") in (target.id, str(target.id))]
        return [r for r in runs if r["state_type"] in ("COMPLETED", "FAILED", "CRASHED")]

    runs = wait_for(finished, 120, "the triggered eligibility run")
    assert [r["state_type"] for r in runs] == ["COMPLETED"]
    assert re.fullmatch(rf"eligibility-{TODAY}T\d\d:\d\d:\d\d-event-session-{target.id}", runs[0]["name"])
    with Session(engine_for(billing)) as s:
        wanted = {p[0] for p in roster_coverage_dates(s, [target.id]).values() if p}
        checked = {c.coverage_id for c in s.exec(select(EligibilityCheck))}
    assert wanted and checked == wanted


def test_the_rest_call_with_an_idempotency_key_creates_one_run(prefect_harness, billing: str) -> None:
    from deployments.definitions import deployment

    deployment_id = str(deployment(DEPLOYMENT).apply())
    target = _session(billing, "GRP-DEP-20261125")
    body = {"parameters": {"session_id": target.id}, "idempotency_key": f"ehr-session-{target.id}-eligibility"}
    first = _api("POST", f"/deployments/{deployment_id}/create_flow_run", json=body)
    again = _api("POST", f"/deployments/{deployment_id}/create_flow_run", json=body)
    try:
        assert (first.status_code, again.status_code) == (201, 200)
        assert first.json()["id"] == again.json()["id"]
        assert first.json()["parameters"] == {"session_id": target.id}
    finally:
        _api("DELETE", f"/flow_runs/{first.json()['id']}")


def test_import_announces_each_future_scheduled_session_once(
    prefect_harness, cli, tmp_path: Path, practice, monkeypatch: pytest.MonkeyPatch
) -> None:
    from prefect.settings import PREFECT_API_URL

    monkeypatch.setenv("PREFECT_API_URL", str(PREFECT_API_URL.value()))
    bundle = tmp_path / "bundle.json"
    bundle.write_text(practice.bundle.model_dump_json())
    since = datetime.now(UTC)
    code, out, err = cli("import", str(bundle))
    assert code == 0, err
    from config.settings import get_settings

    with Session(engine_for(get_settings().database_url)) as s:
        future = {
            f"groupbill.session.{g.id}"
            for g in s.exec(select(GroupSession))
            if g.status == "scheduled" and g.service_date >= get_settings().today()
        }
    assert future and f"{len(future)} session-scheduled events sent" in out

    def announced() -> list[str]:
        body = {
            "filter": {"event": {"name": ["groupbill.session.scheduled"]}, "occurred": {"since": since.isoformat()}}
        }
        events = _api("POST", "/events/filter", json=body).json()["events"]
        return sorted(e["resource"]["prefect.resource.id"] for e in events)

    assert sorted(wait_for(lambda: len(announced()) >= len(future) and announced(), 30, "the events")) == sorted(future)
    code, out, _ = cli("import", str(bundle))
    assert code == 0 and "nothing changed" in out and "events sent" not in out
