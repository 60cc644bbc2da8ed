"""The daily run, collection and a UI retry end to end through the SFTP connector: a real Prefect server,
the served deployments, a real sshd and `groupbill sandbox mailbox` working the mailbox. The first run
fails (the inbound folder is not ours to write: nothing is sent), ops fix the folder and press Retry, the
run completes without redoing its finished steps, collection applies every report, and the mailbox took
every claim exactly once."""

import json
import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from deployments.local import start_deployments, stop_process, wait_deployments
from models.claims import Claim
from models.db import session_scope
from models.enums import ClaimStatus
from tasks.clearinghouse.sandbox.mailbox import read_received
from tasks.importing import import_bundle
from tasks.runtime import engine_for
from tasks.synthetic import SyntheticPractice
from tasks.synthetic.generate import install_roster
from tasks.x12.segments import split_segments
from tests.integration.conftest import PrefectServer, record
from tests.integration.test_ui_retry import RETRY
from tests.sftp_server import SshServer, own_folders
from tests.soak.sftp import MailboxProcess, sftp_connections
from tests.waiting import wait_for

pytestmark = pytest.mark.integration
DAILY, COLLECT = "daily-claims/billing-run", "collect-reports/hourly-collection"


@pytest.fixture
def sftp_stack(
    prefect_server: PrefectServer, sshd: SshServer, tmp_path: Path, practice: SyntheticPractice
) -> Iterator[dict[str, object]]:
    """The practice billing through an SFTP mailbox on the real sshd, every deployment served."""
    sandbox = tmp_path / "sandbox"
    install_roster(practice, sandbox)
    url = f"sqlite:///{tmp_path / 'billing.db'}"
    with session_scope(engine_for(url)) as session:
        import_bundle(session, practice.bundle)
    mailbox = own_folders(sshd.root / tmp_path.name[-24:])
    far = MailboxProcess(mailbox, sandbox, tmp_path / "mailbox.log", {})
    connections = tmp_path / "clearinghouses.yaml"
    connections.write_text(json.dumps(sftp_connections(sshd, mailbox.name, sandbox)))
    env = {
        **prefect_server.env,
        "GROUPBILL_DATABASE_URL": url,
        "GROUPBILL_CLEARINGHOUSES_FILE": str(connections),
        "GROUPBILL_OUTPUT_DIR": str(tmp_path / "out"),
        "GROUPBILL_SANDBOX_DIR": str(sandbox),
        "PREFECT_RUNNER_POLL_FREQUENCY": os.environ.get("PREFECT_RUNNER_POLL_FREQUENCY", "1"),
    }
    log = (tmp_path / "serve.log").open("w")
    served = start_deployments(env, log)
    try:
        ids = wait_deployments(prefect_server.api, [DAILY, COLLECT])
        yield {"prefect": prefect_server, "ids": ids, "url": url, "mailbox": mailbox}
    finally:
        stop_process(served.pid)
        served.wait(timeout=10)
        log.close()
        far.stop()


def _run(stack: dict[str, object], name: str, parameters: dict[str, object]) -> dict[str, object]:
    prefect: PrefectServer = stack["prefect"]  # type: ignore[assignment]
    deployment = stack["ids"][name]  # type: ignore[index]
    run_id = prefect.call("POST", f"/deployments/{deployment}/create_flow_run", json={"parameters": parameters})["id"]
    return prefect.wait_run(run_id)


def _mailbox_claims(mailbox: Path) -> Counter[str]:
    found: Counter[str] = Counter()
    for row in read_received(mailbox):
        text = (mailbox / "archive" / str(row["name"])).read_text()
        found.update(seg[1] for seg in split_segments(text)[1] if seg[0] == "CLM")
    return found


def test_the_daily_run_retried_from_the_ui_and_collection_work_end_to_end_over_sftp(sftp_stack) -> None:
    mailbox: Path = sftp_stack["mailbox"]
    inbound, owner = mailbox / "inbound", (mailbox / "inbound").stat()
    os.chown(inbound, 0, 0)  # root's now: the SFTP user may not write there
    failed = _run(sftp_stack, DAILY, {"as_of": "2026-11-27", "collect": False})
    assert failed["state_type"] == "FAILED" and "Permission denied" in failed["state"]["message"]
    assert read_received(mailbox) == []
    os.chown(inbound, owner.st_uid, owner.st_gid)  # ops fix the folder, then press Retry

    prefect: PrefectServer = sftp_stack["prefect"]
    prefect.call("POST", f"/flow_runs/{failed['id']}/set_state", json=RETRY)
    retried = prefect.wait_run(failed["id"])
    assert retried["state_type"] == "COMPLETED" and retried["run_count"] == 2

    engine = engine_for(sftp_stack["url"])

    def adjudicated() -> bool:
        _run(sftp_stack, COLLECT, {})
        with Session(engine) as s:
            sent = s.exec(select(Claim).where(col(Claim.batch_id).is_not(None))).all()
        # adjudicated, or a CARC 22 denial its rebill to the right payer closed (the synthetic practice has one)
        final = {ClaimStatus.PAID, ClaimStatus.PARTIALLY_PAID, ClaimStatus.DENIED, ClaimStatus.CORRECTED}
        return bool(sent) and all(c.status in final for c in sent)

    wait_for(adjudicated, 240, "every sent claim adjudicated through the mailbox")
    with Session(engine) as s:
        sent = sorted(c.patient_control_number or "" for c in s.exec(select(Claim)) if c.batch_id is not None)
    received = _mailbox_claims(mailbox)
    assert sorted(received) == sent and set(received.values()) == {1}  # every claim exactly once
    assert [p for p in (mailbox / "outbound").iterdir() if not p.name.startswith(".")] == []
    record("sftp-end-to-end", {"claims": len(sent), "first_run_seconds": failed["total_run_time"]})
