"""The HTTP client against the sandbox server with faults switched on."""

from pathlib import Path

import pytest

from models.errors import ClearinghouseAuthFailed, ClearinghouseRejected, ClearinghouseUnavailable
from tasks.clearinghouse.http_client import HttpClearinghouse
from tests.tasks.clearinghouse.conftest import API_KEY, free_port
from tests.tasks.clearinghouse.helpers import batch_837, claim


class Sleeps(list):
    """Records the client's back-off sleeps instead of sleeping long."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def _client(server, **kw) -> tuple[HttpClearinghouse, Sleeps]:
    sleeps = Sleeps()
    options = {"read_timeout": 5.0, "attempts": 4, "backoff": 0.01, **kw}
    return HttpClearinghouse(server.url, API_KEY, sleep=sleeps, **options), sleeps


def test_server_errors_are_retried_until_they_succeed(server) -> None:
    client, sleeps = _client(server)
    hits_before = server.admin("faults", error_next=2)["hits"]["error"]
    assert client.fetch_reports(None).next_cursor.isdigit()
    assert requests_hits(server)["error"] == hits_before + 2
    assert len(sleeps) == 2


def requests_hits(server) -> dict:
    import requests

    return requests.get(server.url + "/admin/faults", headers={"X-API-Key": API_KEY}, timeout=5).json()["hits"]


def test_429_honours_retry_after(server) -> None:
    client, sleeps = _client(server)
    server.admin("faults", rate_limit_next=1, retry_after=0.25)
    client.was_received("000000001")
    assert sleeps == [0.25]


def test_too_many_failures_give_up_as_transient(server) -> None:
    client, sleeps = _client(server, attempts=3)
    server.admin("faults", error_next=5)
    with pytest.raises(ClearinghouseUnavailable):
        client.was_received("000000001")
    assert len(sleeps) == 2


def test_permanent_errors_are_not_retried(server) -> None:
    client, sleeps = _client(server)
    with pytest.raises(ClearinghouseRejected):
        client.fetch_reports("garbage")
    with pytest.raises(ClearinghouseAuthFailed):
        HttpClearinghouse(server.url, "wrong-key", sleep=sleeps).was_received("1")
    assert sleeps == []


def test_a_post_without_idempotency_key_is_never_retried(server) -> None:
    client, sleeps = _client(server)
    server.admin("faults", error_next=1)
    with pytest.raises(ClearinghouseUnavailable):
        client._call("POST", "/v1/eligibility", "SACME1", json={"payer_id": "SACME1", "x12": "ISA"})
    assert sleeps == []


def test_dropped_response_after_receipt_stores_one_submission(server) -> None:
    client, sleeps = _client(server)
    text, control = batch_837(claim("W100", "Paid", "DROP1"))
    before = server.admin("received")["control_numbers"]
    server.admin("faults", drop_next=1)
    receipt = client.submit(text, control_number=control, payer_id="SACME1")
    after = server.admin("received")["control_numbers"]
    assert len(sleeps) == 1 and receipt.control_number == control
    assert after == [*before, control]
    assert client.was_received(control) == receipt


def test_slow_answer_past_the_timeout_is_retried(server) -> None:
    client, sleeps = _client(server, read_timeout=0.5)
    server.admin("faults", slow_next=1, slow_seconds=1.5)
    assert client.was_received("000000001") is None
    assert len(sleeps) == 1


def test_refused_connections_are_transient(server) -> None:
    sleeps = Sleeps()
    client = HttpClearinghouse(f"http://127.0.0.1:{free_port()}", API_KEY, sleep=sleeps, attempts=3)
    with pytest.raises(ClearinghouseUnavailable):
        client.fetch_reports(None)
    assert len(sleeps) == 2


def test_server_refusing_connections_then_coming_back(server) -> None:
    import time

    import requests

    server.admin("faults", refuse_seconds=0.6)
    time.sleep(0.2)
    with pytest.raises(requests.ConnectionError):
        requests.get(server.url + "/admin/faults", timeout=2)
    client, sleeps = _client(server, attempts=5, backoff=0.3)
    client.sleep = time.sleep  # really wait: the server comes back
    assert client.was_received("000000001") is None


def test_refusal_switched_on_at_start_up(tmp_path) -> None:
    import time

    import requests

    from tests.tasks.clearinghouse.conftest import Server
    from tests.tasks.clearinghouse.helpers import roster, write_roster

    folder = write_roster(tmp_path / "refusing", roster())
    # The extra options once never reached the server, so this passed only while it was still starting
    # up; a long window and several tries make it prove the refusal. Coming back is the test above's.
    refusing = Server(folder, tmp_path / "refusing.log", "--refuse-seconds", "120", wait=False)
    try:
        deadline = time.monotonic() + 30
        while "Application startup complete" not in (tmp_path / "refusing.log").read_text():
            assert time.monotonic() < deadline
            time.sleep(0.1)
        time.sleep(0.3)  # the front door looks at the fault every 50 ms
        for _ in range(3):
            with pytest.raises(requests.ConnectionError):
                requests.get(refusing.url + "/admin/faults", timeout=1)
        assert refusing.process.poll() is None  # refusing, not dead
    finally:
        refusing.stop()


def test_faults_can_target_submission_only(server) -> None:
    client, _ = _client(server, attempts=1)
    server.admin("faults", error_rate=1.0, paths=["/v1/claims"])
    try:
        assert client.fetch_reports(None).next_cursor.isdigit()  # reports still answer
        with pytest.raises(ClearinghouseUnavailable):
            client.was_received("000000001")
    finally:
        server.admin("faults")


def test_the_readme_s_faults_example_works_as_written(tmp_path: Path) -> None:
    """The curl line of the README, sent as curl sends it (its headers, its JSON body), to a server of its
    own: the example refuses connections for 5 s, which the shared server's other tests would feel."""
    import re
    import shlex

    import requests

    from tests.tasks.clearinghouse.conftest import Server
    from tests.tasks.clearinghouse.helpers import roster, write_roster

    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text()
    command = re.search(r"^curl [^\n]*/admin/faults \\\n[^\n]*$", readme, re.M)
    assert command is not None
    words = shlex.split(command.group(0).replace("\\\n", " ").replace("$KEY", API_KEY))
    headers = dict(words[i + 1].split(": ", 1) for i, w in enumerate(words) if w == "-H")
    body = words[words.index("-d") + 1]
    own = Server(write_roster(tmp_path / "sandbox", roster()), tmp_path / "server.log")
    try:
        paths = requests.post(own.url + "/admin/faults", json={"paths": ["/v1/claims"]}, headers=headers, timeout=5)
        assert paths.status_code == 200 and paths.json()["settings"]["paths"] == ["/v1/claims"]
        answer = requests.post(own.url + "/admin/faults", data=body, headers=headers, timeout=5)
        assert answer.status_code == 200, answer.text
        assert answer.json()["settings"]["error_next"] == 2 and answer.json()["settings"]["refuse_seconds"] == 5
    finally:
        own.stop()
