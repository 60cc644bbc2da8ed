"""The daily run, collection and a UI retry end to end through a `stedi` connection: a real Prefect server,
the served deployments and `groupbill sandbox serve --profile stedi`. The first run fails (the key file
holds a revoked key: Stedi refuses it, nothing is sent), ops put the right key in and press Retry, the
run completes without redoing its finished steps, collection applies every response, and the far side
took every claim exactly once, one claim per request."""

import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from sqlmodel import Session, col, select

from deployments.local import start_deployments, stop_process, wait_deployments
from models.claims import Claim
from models.db import session_scope
from models.enums import ClaimStatus
from models.exchange import SubmissionBatch
from models.practice import Practice
from tasks.importing import import_bundle
from tasks.runtime import engine_for
from tasks.synthetic import SyntheticPractice
from tasks.synthetic.generate import install_roster
from tests.integration.conftest import PrefectServer, record
from tests.integration.test_ui_retry import RETRY
from tests.tasks.clearinghouse.conftest import API_KEY, Server
from tests.waiting import wait_for

pytestmark = pytest.mark.integration
DAILY, COLLECT = "daily-claims/billing-run", "collect-reports/hourly-collection"


@pytest.fixture
def stedi_stack(prefect_server: PrefectServer, tmp_path: Path, practice: SyntheticPractice) -> Iterator[dict]:  # type: ignore[type-arg]
    """The practice billing through a stedi connection to the local Stedi server, every deployment served."""
    sandbox = tmp_path / "sandbox"
    install_roster(practice, sandbox)
    url = f"sqlite:///{tmp_path / 'billing.db'}"
    with session_scope(engine_for(url)) as session:
        import_bundle(session, practice.bundle)
        for row in session.exec(select(Practice)):
            row.clearinghouse = "stedi-test"
            session.add(row)
    far = Server(sandbox, tmp_path / "stedi.log", "--profile", "stedi")
    key = tmp_path / "stedi.key"
    key.write_text("a-revoked-key")
    key.chmod(0o600)
    base = {"healthcare_url": f"{far.url}/2024-04-01", "core_url": f"{far.url}/2023-08-01"}
    connection = {"kind": "stedi", "api_key_file": str(key), "rate_per_second": 100, "timeout": 10, **base}
    connections = tmp_path / "clearinghouses.yaml"
    connections.write_text(yaml.safe_dump({"connections": {"stedi-test": connection}}))
    env = {
        **prefect_server.env,
        "GROUPBILL_DATABASE_URL": url,
        "GROUPBILL_CLEARINGHOUSES_FILE": str(connections),
        "GROUPBILL_OUTPUT_DIR": str(tmp_path / "out"),
        "GROUPBILL_SANDBOX_DIR": str(tmp_path / "nowhere"),  # the default connection must not be used
        "PREFECT_RUNNER_POLL_FREQUENCY": os.environ.get("PREFECT_RUNNER_POLL_FREQUENCY", "1"),
    }
    log = (tmp_path / "serve.log").open("w")
    served = start_deployments(env, log)
    try:
        ids = wait_deployments(prefect_server.api, [DAILY, COLLECT])
        yield {"prefect": prefect_server, "ids": ids, "url": url, "far": far, "key": key}
    finally:
        stop_process(served.pid)
        served.wait(timeout=10)
        log.close()
        far.stop()


def _run(stack: dict, name: str, parameters: dict[str, object]) -> dict:  # type: ignore[type-arg]
    prefect: PrefectServer = stack["prefect"]
    run_id = prefect.call("POST", f"/deployments/{stack['ids'][name]}/create_flow_run", json={"parameters": parameters})
    return prefect.wait_run(run_id["id"])


def test_the_daily_run_retried_from_the_ui_and_collection_work_end_to_end_through_stedi(stedi_stack: dict) -> None:  # type: ignore[type-arg]
    far: Server = stedi_stack["far"]
    failed = _run(stedi_stack, DAILY, {"as_of": "2026-11-27", "collect": False})
    assert failed["state_type"] == "FAILED" and "refused the API key" in failed["state"]["message"]
    assert far.admin("received")["count"] == 0
    stedi_stack["key"].write_text(API_KEY)  # ops put the right key in, then press Retry

    prefect: PrefectServer = stedi_stack["prefect"]
    prefect.call("POST", f"/flow_runs/{failed['id']}/set_state", json=RETRY)
    retried = prefect.wait_run(failed["id"])
    assert retried["state_type"] == "COMPLETED" and retried["run_count"] == 2

    engine = engine_for(stedi_stack["url"])

    def adjudicated() -> bool:
        _run(stedi_stack, COLLECT, {})
        with Session(engine) as s:
            sent = s.exec(select(Claim).where(col(Claim.batch_id).is_not(None))).all()
        final = {ClaimStatus.PAID, ClaimStatus.PARTIALLY_PAID, ClaimStatus.DENIED, ClaimStatus.CORRECTED}
        final |= {ClaimStatus.REJECTED}  # a CARC 22 denial closed by its rebill is corrected
        return bool(sent) and all(c.status in final for c in sent)

    wait_for(adjudicated, 240, "every sent claim answered through stedi")
    with Session(engine) as s:
        batches = s.exec(select(SubmissionBatch)).all()
    received = Counter(far.admin("received")["control_numbers"])
    assert sorted(received) == sorted(b.interchange_control_number for b in batches)
    assert set(received.values()) == {1} and {b.claim_count for b in batches} == {1}
    record("stedi-end-to-end", {"claims": len(batches), "first_run_seconds": failed["total_run_time"]})
