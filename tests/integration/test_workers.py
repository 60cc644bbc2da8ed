"""Production shape: a Prefect server on PostgreSQL, the deployments from deployments/prefect.yaml, two
process workers, the billing database on PostgreSQL. daily_claims runs for two date windows at the same
time plus a deliberately overlapping third run over both, then two report collections at once: every
claim is submitted exactly once and every invariant of the soak holds.

Needs GROUPBILL_TEST_POSTGRES_URL (`.ci/postgres` prints one; .ci/run sets it)."""

import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import IO, Any

import pytest
from sqlalchemy.engine import make_url

from deployments.local import ROOT, server_env, start_server, stop_process, wait_deployments, wait_healthy
from models.db import session_scope
from tasks.importing import import_bundle
from tasks.runtime import engine_for
from tasks.synthetic import SyntheticPractice
from tasks.synthetic.generate import install_roster
from tests.databases import POSTGRES, fresh_database
from tests.integration.conftest import PrefectServer, record
from tests.soak.invariants import check
from tests.tasks.clearinghouse.conftest import API_KEY, Server, free_port

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not POSTGRES, reason="needs PostgreSQL: set GROUPBILL_TEST_POSTGRES_URL (.ci/postgres)"),
]
POOL = "groupbill-process"


@pytest.fixture
def postgres_prefect(tmp_path: Path) -> Iterator[PrefectServer]:
    """`prefect server start` on a PostgreSQL database of its own."""
    with fresh_database(tmp_path, "prefect") as url:
        home = tmp_path / "prefect"
        home.mkdir()
        port = free_port()
        env = server_env(home, port)
        env["PREFECT_API_DATABASE_CONNECTION_URL"] = (
            make_url(url).set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)
        )
        log = (home / "server.log").open("w")
        server = start_server(env, port, log)
        try:
            wait_healthy(env["PREFECT_API_URL"], seconds=180)
            yield PrefectServer(env["PREFECT_API_URL"], env, home)
        finally:
            stop_process(server.pid)
            server.wait(timeout=20)
            log.close()


def _deploy(prefect: PrefectServer, env: dict[str, str], folder: Path) -> dict[str, str]:
    """The production prefect.yaml, pulled from this checkout, with the concurrency limits taken off so
    the runs really overlap (in production the limit of 1 queues a second daily run instead)."""
    text = (ROOT / "deployments" / "prefect.yaml").read_text().replace("/opt/groupbill", str(ROOT))
    prefect_file = folder / "prefect.yaml"
    prefect_file.write_text("\n".join(line for line in text.splitlines() if "concurrency_limit" not in line))
    prefect_cli = [sys.executable, "-m", "prefect", "--no-prompt"]
    for args in (
        ["work-pool", "create", POOL, "--type", "process"],
        ["deploy", "--all", "--prefect-file", str(prefect_file)],
    ):
        done = subprocess.run([*prefect_cli, *args], env=env, cwd=ROOT, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return wait_deployments(prefect.api, ["daily-claims/billing-run", "collect-reports/hourly-collection"])


def _start_worker(env: dict[str, str], log: IO[str]) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "prefect", "worker", "start", "--pool", POOL, "--limit", "2"]
    return subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def _start_runs(prefect: PrefectServer, deployment: str, parameters: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Create the runs at once, wait for all of them; the finished runs."""
    ids = [
        prefect.call("POST", f"/deployments/{deployment}/create_flow_run", json={"parameters": p})["id"]
        for p in parameters
    ]
    return [prefect.wait_run(run_id, seconds=300) for run_id in ids]


def _overlapped(runs: list[dict[str, Any]]) -> bool:
    """Some two runs were running at the same time."""
    spans = sorted((datetime.fromisoformat(r["start_time"]), datetime.fromisoformat(r["end_time"])) for r in runs)
    return any(later[0] < earlier[1] for earlier, later in zip(spans, spans[1:], strict=False))


def test_two_workers_and_overlapping_runs_submit_every_claim_exactly_once(
    postgres_prefect: PrefectServer, tmp_path: Path, practice: SyntheticPractice
) -> None:
    install_roster(practice, tmp_path / "sandbox")
    sandbox = Server(tmp_path / "sandbox", tmp_path / "sandbox.log")
    workers: list[subprocess.Popen[bytes]] = []
    logs: list[IO[str]] = []
    with fresh_database(tmp_path, "billing") as billing_url:
        with session_scope(engine_for(billing_url)) as session:
            import_bundle(session, practice.bundle)
        env = postgres_prefect.env | {
            "GROUPBILL_DATABASE_URL": billing_url,
            "GROUPBILL_CLEARINGHOUSE": "http",
            "GROUPBILL_CLEARINGHOUSE_URL": sandbox.url,
            "GROUPBILL_CLEARINGHOUSE_API_KEY": API_KEY,
            "GROUPBILL_OUTPUT_DIR": str(tmp_path / "out"),
            "PREFECT_WORKER_QUERY_SECONDS": "1",
        }
        try:
            deployments = _deploy(postgres_prefect, env, tmp_path)
            logs = [(tmp_path / f"worker-{n}.log").open("w") for n in (1, 2)]
            workers = [_start_worker(env, log) for log in logs]
            daily = _start_runs(
                postgres_prefect,
                deployments["daily-claims/billing-run"],
                [
                    {"as_of": "2026-11-27", "collect": False, "service_date_to": "2026-11-20"},
                    {"as_of": "2026-11-27", "collect": False, "service_date_from": "2026-11-21"},
                    {"as_of": "2026-11-27", "collect": False},  # overlaps both
                ],
            )
            collected = _start_runs(postgres_prefect, deployments["collect-reports/hourly-collection"], [{}, {}])
            collected += _start_runs(postgres_prefect, deployments["collect-reports/hourly-collection"], [{}])
        finally:
            for worker in workers:
                stop_process(worker.pid)
                worker.wait(timeout=20)
            for log in logs:
                log.close()
            sandbox.stop()
        worker_logs = [(tmp_path / f"worker-{n}.log").read_text() for n in (1, 2)]
        verdict = check(engine_for(billing_url), tmp_path / "sandbox" / "state.db", run_completed=True)
        received = sandbox_received(tmp_path / "sandbox" / "state.db")
    assert [r["state_type"] for r in daily + collected] == ["COMPLETED"] * 6, [r["state"] for r in daily + collected]
    assert all(any(r["id"] in log for r in daily + collected) for log in worker_logs), "both workers ran flows"
    assert _overlapped(daily), "the daily runs were meant to overlap"
    assert verdict.violations == [] and received and len(received) == len(set(received))
    record("workers", {"runs": len(daily) + len(collected), **verdict.counts, "claims_received": len(received)})


def sandbox_received(state_db: Path) -> list[str]:
    """Every claim number the sandbox stored, in arrival order (a claim sent twice appears twice)."""
    from tasks.clearinghouse.sandbox.state import SandboxState

    state = SandboxState(state_db)
    try:
        return state.received_claim_numbers()
    finally:
        state.close()
