"""The SFTP connector against a real sshd when things go wrong: each fault is one clear line of the right
kind, transient ones are retried with backoff, and nothing is uploaded twice."""

import os
from pathlib import Path

import pytest

from models.errors import ClearinghouseAuthFailed, ClearinghouseMisconfigured, ClearinghouseUnavailable
from tasks.clearinghouse.sftp.uploads import final_name
from tests.sftp_server import CuttingRelay, free_port, keygen
from tests.tasks.clearinghouse.conftest import SftpUnderTest
from tests.tasks.clearinghouse.helpers import batch_837, claim


class Sleeps(list):
    """Records the backoff sleeps instead of sleeping."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def _big_batch() -> tuple[str, str]:
    """An 837P of 200 claims (~39 kB): an upload long enough to be cut halfway."""
    return batch_837(*(claim("W100", "Paid", f"CUT{n:04d}") for n in range(200)))


def _one_line(exc: pytest.ExceptionInfo[BaseException]) -> str:
    said = str(exc.value)
    assert "\n" not in said and "Traceback" not in said
    return said


def test_a_connection_cut_halfway_through_an_upload_is_retried_and_the_file_arrives_once(
    mailbox_under_test: SftpUnderTest,
) -> None:
    box = mailbox_under_test
    relay = CuttingRelay(box.sshd.port, cut_after=12_000)
    sleeps = Sleeps()
    try:
        client = box.connector(port=relay.port, known_hosts=box.sshd.known_hosts(relay.port), sleep=sleeps)
        text, control = _big_batch()
        receipt = client.submit(text, control_number=control, payer_id="SACME1")
    finally:
        relay.close()
    assert relay.cuts == 1 and len(sleeps) == 1 and receipt.claim_count == 200
    box.far.run_once()
    assert box.received() == [control]
    assert not list(box.folder("inbound").iterdir())  # no temporary file left behind either


def test_a_cut_on_the_last_try_leaves_the_batch_for_the_next_run_which_uploads_it_once(
    mailbox_under_test: SftpUnderTest,
) -> None:
    box = mailbox_under_test
    relay = CuttingRelay(box.sshd.port, cut_after=12_000)
    text, control = _big_batch()
    try:
        client = box.connector(port=relay.port, known_hosts=box.sshd.known_hosts(relay.port), attempts=1)
        with pytest.raises(ClearinghouseUnavailable) as failed:
            client.submit(text, control_number=control, payer_id="SACME1")
    finally:
        relay.close()
    assert "connection" in _one_line(failed) and client.was_received(control) is None
    assert box.client.submit(text, control_number=control, payer_id="SACME1").control_number == control
    box.far.run_once()
    assert box.received() == [control]


def test_a_server_refusing_connections_is_transient_retried_with_backoff(mailbox_under_test: SftpUnderTest) -> None:
    sleeps = Sleeps()
    port = free_port()
    client = mailbox_under_test.connector(
        port=port, known_hosts=mailbox_under_test.sshd.known_hosts(port), attempts=3, sleep=sleeps
    )
    text, control = batch_837(claim("W100", "Paid", "REFUSED1"))
    with pytest.raises(ClearinghouseUnavailable) as failed:
        client.submit(text, control_number=control, payer_id="SACME1")
    assert "connection refused" in _one_line(failed) and "3 tries" in str(failed.value)
    assert len(sleeps) == 2 and sleeps[1] > sleeps[0] * 0.5


def test_a_refused_key_is_an_authentication_failure_not_retried(
    mailbox_under_test: SftpUnderTest, tmp_path: Path
) -> None:
    keygen(tmp_path / "stranger")
    sleeps = Sleeps()
    client = mailbox_under_test.connector(key=(tmp_path / "stranger").read_text(), sleep=sleeps)
    with pytest.raises(ClearinghouseAuthFailed) as failed:
        client.check()
    assert "authentication failed" in _one_line(failed) and sleeps == []


@pytest.mark.parametrize("known", ["changed", "unknown"])
def test_a_host_key_that_is_changed_or_unknown_is_refused_never_accepted(
    mailbox_under_test: SftpUnderTest, tmp_path: Path, known: str
) -> None:
    box = mailbox_under_test
    other = keygen(tmp_path / "impostor")
    path = box.sshd.known_hosts(line=" ".join(other.split()[:2]))
    if known == "unknown":
        path.write_text(f"[127.0.0.1]:{free_port()} {box.sshd.host_key_line}\n")
    before = path.read_text()
    sleeps = Sleeps()
    with pytest.raises(ClearinghouseMisconfigured) as failed:
        box.connector(known_hosts=path, sleep=sleeps).check()
    said = _one_line(failed)
    assert ("does not match" in said) if known == "changed" else ("not in known_hosts" in said)
    assert sleeps == [] and path.read_text() == before  # never written back


def test_an_inbound_folder_we_may_not_write_is_said_plainly_and_nothing_is_sent(
    mailbox_under_test: SftpUnderTest,
) -> None:
    box = mailbox_under_test
    locked = box.root / "locked"
    locked.mkdir(mode=0o755)  # root's: the SFTP user may look but not write
    sleeps = Sleeps()
    text, control = batch_837(claim("W100", "Paid", "LOCKED1"))
    with pytest.raises(ClearinghouseMisconfigured) as failed:
        box.connector(inbound=f"{box.name}/locked", sleep=sleeps).submit(text, control_number=control, payer_id="X")
    assert "Permission denied" in _one_line(failed) and sleeps == []
    assert os.listdir(locked) == []


def test_a_missing_inbound_folder_is_said_plainly(mailbox_under_test: SftpUnderTest) -> None:
    box = mailbox_under_test
    text, control = batch_837(claim("W100", "Paid", "MISSING1"))
    with pytest.raises(ClearinghouseMisconfigured) as failed:
        box.connector(inbound=f"{box.name}/nowhere").submit(text, control_number=control, payer_id="SACME1")
    assert "No such file" in _one_line(failed)


def test_a_report_still_being_written_waits_for_the_next_collection(mailbox_under_test: SftpUnderTest) -> None:
    box = mailbox_under_test
    whole = (Path(__file__).resolve().parents[2] / "fixtures" / "x12" / "999_accepted.x12").read_text()
    growing = box.put_report("999_GROWING.x12", whole[:50])

    def far_side_writes_on(seconds: float) -> None:  # the clearinghouse appends while we wait
        growing.write_text(whole)

    client = box.connector(settle_seconds=0.2, sleep=far_side_writes_on)
    first = client.fetch_reports(None)
    assert first.reports == ()
    second = client.fetch_reports(None)
    assert [r.kind for r in second.reports] == ["999"]


def test_the_final_name_carries_the_submitter_and_the_control_number(mailbox_under_test: SftpUnderTest) -> None:
    box = mailbox_under_test
    text, control = batch_837(claim("W100", "Paid", "NAMED1"))
    receipt = box.client.submit(text, control_number=control, payer_id="SACME1")
    name = final_name("GROUPBILL", control)
    assert receipt.receipt_id == f"sftp:{name}" and name == f"GROUPBILL_{control}.x12"
    assert [p.name for p in box.folder("inbound").iterdir()] == [name]
    assert (box.folder("inbound") / name).read_text() == text


def test_at_most_max_connections_to_one_host_at_once(mailbox_under_test: SftpUnderTest) -> None:
    import threading
    import time

    client = mailbox_under_test.connector(max_connections=1, port=mailbox_under_test.sshd.port)
    other = mailbox_under_test.connector(max_connections=1)  # same host: the same limit, however many clients
    inside, most = [0], [0]
    lock = threading.Lock()

    def hold(_sftp: object) -> None:
        with lock:
            inside[0] += 1
            most[0] = max(most[0], inside[0])
        time.sleep(0.2)
        with lock:
            inside[0] -= 1

    threads = [threading.Thread(target=c.transport.call, args=("hold", hold)) for c in (client, other, client)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most[0] == 1
