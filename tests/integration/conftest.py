"""Integration fixtures: a real `prefect server start`, the sandbox HTTP server, and `deployments.serve`
with groupbill configured against both. Marked `integration`: `make test-integration` runs them."""

import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from deployments.local import server_env, start_deployments, start_server, stop_process, wait_deployments, wait_healthy
from models.db import session_scope
from tasks.importing import import_bundle
from tasks.runtime import engine_for
from tasks.synthetic import SyntheticPractice
from tasks.synthetic.generate import install_roster
from tests.tasks.clearinghouse.conftest import API_KEY, Server, free_port
from tests.waiting import wait_for

OUTPUT = Path(__file__).resolve().parents[2] / "test-output"
TERMINAL = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}


@dataclass
class PrefectServer:
    """A running Prefect server: its API URL and environment."""

    api: str
    env: dict[str, str]
    home: Path

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        """One API call; the JSON answer. A busy server (503: its SQLite was locked) is asked again, as
        Prefect's own client does; other error statuses raise."""
        for wait in (0.5, 1, 2, 4, 0):
            response = httpx.request(method, self.api + path, timeout=30, **kwargs)
            if response.status_code not in (429, 503) or not wait:
                break
            time.sleep(wait)
        response.raise_for_status()
        return response.json() if response.content else None

    def wait_run(self, run_id: str, seconds: float = 240, states: set[str] = TERMINAL) -> dict[str, Any]:
        """The flow run once its state type is one of `states`."""
        return wait_for(lambda: _in(self.call("GET", f"/flow_runs/{run_id}"), states), seconds, f"run {run_id}")


def _in(run: dict[str, Any], states: set[str]) -> dict[str, Any] | None:
    return run if run["state_type"] in states else None


@pytest.fixture(scope="module")
def prefect_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrefectServer]:
    """`prefect server start` on a free loopback port with a home of its own (SQLite)."""
    home = tmp_path_factory.mktemp("prefect-server")
    port = free_port()
    env = server_env(home, port)
    log = (home / "server.log").open("w")
    process = start_server(env, port, log)
    try:
        wait_healthy(env["PREFECT_API_URL"])
        yield PrefectServer(env["PREFECT_API_URL"], env, home)
    finally:
        stop_process(process.pid)
        process.wait(timeout=10)
        log.close()


@dataclass
class Stack:
    """Everything of one billing installation under a real Prefect server."""

    prefect: PrefectServer
    sandbox: Server
    database_url: str
    folder: Path
    deployments: dict[str, str]


@pytest.fixture
def stack(prefect_server: PrefectServer, tmp_path: Path, practice: SyntheticPractice) -> Iterator[Stack]:
    """The synthetic practice imported, the sandbox HTTP server, and every deployment served (poll 1 s)."""
    folder = tmp_path / "sandbox"
    install_roster(practice, folder)
    url = f"sqlite:///{tmp_path / 'billing.db'}"
    with session_scope(engine_for(url)) as session:
        import_bundle(session, practice.bundle)
    sandbox = Server(folder, tmp_path / "sandbox.log")
    env = {
        **prefect_server.env,
        "GROUPBILL_DATABASE_URL": url,
        "GROUPBILL_CLEARINGHOUSE": "http",
        "GROUPBILL_CLEARINGHOUSE_URL": sandbox.url,
        "GROUPBILL_CLEARINGHOUSE_API_KEY": API_KEY,
        "GROUPBILL_OUTPUT_DIR": str(tmp_path / "out"),
        "GROUPBILL_SANDBOX_DIR": str(folder),
        "PREFECT_RUNNER_POLL_FREQUENCY": os.environ.get("PREFECT_RUNNER_POLL_FREQUENCY", "1"),
    }
    log = (tmp_path / "serve.log").open("w")
    served = start_deployments(env, log)
    try:
        names = ["daily-claims/billing-run", "record-alert/on-run-failure", "eligibility-check/morning-and-events"]
        ids = wait_deployments(prefect_server.api, names)
        yield Stack(prefect_server, sandbox, url, folder, ids)
    finally:
        stop_process(served.pid)
        served.wait(timeout=10)
        log.close()
        sandbox.stop()


def record(name: str, values: dict[str, Any]) -> None:
    """Keep a measurement for the notes under test-output/."""
    OUTPUT.mkdir(exist_ok=True)
    (OUTPUT / f"{name}.json").write_text(json.dumps(values, indent=2, default=str))


def fail_a_daily_run(stack: Stack) -> tuple[str, dict[str, Any]]:
    """Start daily-claims with every submission failing at the clearinghouse; (run ID, the failed run).
    The fault is switched off again before returning, as ops would after fixing the cause."""
    stack.sandbox.admin("faults", error_rate=1.0, paths=["/v1/claims"])
    deployment = stack.deployments["daily-claims/billing-run"]
    params = {"parameters": {"as_of": "2026-11-27", "collect": False}}
    run_id = stack.prefect.call("POST", f"/deployments/{deployment}/create_flow_run", json=params)["id"]
    failed = stack.prefect.wait_run(run_id)
    stack.sandbox.admin("faults")
    return run_id, failed


def received_once(stack: Stack) -> tuple[list[str], list[str]]:
    """(claims the sandbox received, in order; claims the database put in a batch)."""
    from sqlmodel import Session, select

    from models.claims import Claim
    from tasks.clearinghouse.sandbox.state import SandboxState

    state = SandboxState(stack.folder / "state.db")
    try:
        received = state.received_claim_numbers()
    finally:
        state.close()
    with Session(engine_for(stack.database_url)) as s:
        sent = sorted(c.patient_control_number or "" for c in s.exec(select(Claim)) if c.batch_id is not None)
    return received, sent
