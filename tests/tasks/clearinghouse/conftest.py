"""The sandbox in-process, and the sandbox HTTP server on loopback (started and stopped here)."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import requests

from tasks.clearinghouse.protocol import Content, Receipt, ReportPage
from tasks.clearinghouse.sandbox.simulator import SandboxClearinghouse
from tasks.clearinghouse.sandbox.state import SandboxState
from tests.tasks.clearinghouse.helpers import roster, write_roster

if TYPE_CHECKING:
    from config.clearinghouses import SftpConnection
    from tasks.clearinghouse.sftp.mailbox import SftpClearinghouse
    from tests.sftp_server import SshServer

API_KEY = "test-key-7f3a"
ADMIN_HEADERS = {"X-API-Key": API_KEY, "Authorization": API_KEY}  # the REST profile's header, and Stedi's
ROOT = Path(__file__).resolve().parents[3]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """A running `groupbill sandbox serve` process."""

    def __init__(
        self, folder: Path, log: Path, *extra: str, wait: bool = True, env: dict[str, str] | None = None
    ) -> None:
        self.folder, self.port, self.log = folder, free_port(), log
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
        self._log_file = log.open("w")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "flows.cli",
                "sandbox",
                "serve",
                "--port",
                str(self.port),
                "--folder",
                str(folder),
                "--api-key",
                API_KEY,
                "--log-level",
                "debug",
                *extra,
            ],
            cwd=ROOT,
            env=env,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
        )
        if wait:
            self.wait()

    def wait(self) -> None:
        """Block until the server answers (30 s at most)."""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url + "/admin/faults", headers=ADMIN_HEADERS, timeout=1).ok:
                    return
            except requests.ConnectionError:
                time.sleep(0.1)
        raise RuntimeError(f"sandbox server did not start: {self.log.read_text()[-2000:]}")

    def admin(self, path: str, **faults: object) -> dict:  # type: ignore[type-arg]
        headers = ADMIN_HEADERS
        if faults or path == "faults":
            return requests.post(self.url + "/admin/faults", json=faults, headers=headers, timeout=5).json()
        return requests.get(self.url + f"/admin/{path}", headers=headers, timeout=5).json()

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        self._log_file.close()


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One sandbox server for the session, with the test roster."""
    folder = write_roster(tmp_path_factory.mktemp("sandbox-http"), roster())
    running = Server(folder, folder / "server.log")
    yield running
    running.stop()


@pytest.fixture(autouse=True)
def no_faults_left(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every test starts and ends with the server's faults off (if it uses the server)."""
    yield
    if "server" in request.fixturenames:
        request.getfixturevalue("server").admin("faults")


@pytest.fixture
def sandbox(tmp_path: Path) -> SandboxClearinghouse:
    """An in-process sandbox with the test roster and a fixed clock."""
    folder = write_roster(tmp_path / "sandbox", roster())
    return SandboxClearinghouse(roster(), SandboxState(folder / "state.db"), fixed_clock)


def fixed_clock() -> datetime:
    """Noon UTC on the tests' today."""
    return datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


@pytest.fixture
def mailbox_under_test(sshd: "SshServer", tmp_path: Path) -> "SftpUnderTest":
    """An SFTP mailbox of the test's own on the real sshd, its far side (the simulator) run in-process."""
    return SftpUnderTest(sshd, tmp_path)


class SftpUnderTest:
    """The SFTP connector and, behind the sshd, the mailbox simulator: each report poll first lets the far
    side take what arrived and release what is due, as `groupbill sandbox mailbox` does in its loop."""

    def __init__(
        self, sshd: "SshServer", tmp_path: Path, sandbox: SandboxClearinghouse | None = None, **settings: object
    ) -> None:
        from tasks.clearinghouse.sandbox.mailbox import Mailbox, MailboxConfig
        from tests.sftp_server import own_folders

        self.sshd, self.tmp_path = sshd, tmp_path
        self.name = tmp_path.name[-20:].replace("[", "-").replace("]", "")
        self.root = own_folders(sshd.root / self.name)
        self.sandbox = sandbox or SandboxClearinghouse(roster(), SandboxState(tmp_path / "far-state.db"), fixed_clock)
        self.far = Mailbox(MailboxConfig(self.root), self.sandbox)
        self.client = self.connector(**settings)

    def connection(self, **settings: object) -> "SftpConnection":
        from config.clearinghouses import SftpConnection

        values: dict[str, object] = {
            "host": "127.0.0.1",
            "port": self.sshd.port,
            "user": "groupbill-sftp",
            "known_hosts": self.sshd.known_hosts(),
            "private_key_file": self.sshd.client_key,
            "inbound": f"{self.name}/inbound",
            "outbound": f"{self.name}/outbound",
            "archive": f"{self.name}/archive",
            "settle_seconds": 0,
            "backoff": 0.01,
            "connect_timeout": 5,
            "timeout": 5,
        }
        return SftpConnection.model_validate(values | settings)

    def connector(
        self,
        key: str | None = None,
        sleep: Callable[[float], None] = time.sleep,
        state: str = "sftp-state",
        **settings: object,
    ) -> "SftpClearinghouse":
        """A connector to this mailbox (its own upload journal and kept reports under `state`)."""
        from tasks.clearinghouse.sftp.mailbox import SftpClearinghouse
        from tasks.clearinghouse.sftp.transport import Credentials

        credentials = Credentials(key if key is not None else self.sshd.client_key.read_text())
        return SftpClearinghouse(
            self.connection(**settings),
            credentials,
            self.tmp_path / state,
            eligibility=self.sandbox,
            sleep=sleep,
        )

    def check_eligibility(self, x12_270: str, *, payer_id: str) -> str:
        return self.client.check_eligibility(x12_270, payer_id=payer_id)

    def submit(self, x12_837: str, *, control_number: str, payer_id: str) -> Receipt:
        return self.client.submit(x12_837, control_number=control_number, payer_id=payer_id)

    def was_received(self, control_number: str, *, expected: Content | None = None) -> Receipt | None:
        return self.client.was_received(control_number, expected=expected)

    claim_status_channel = "mailbox"

    def check_claim_status(self, x12_276: str, *, payer_id: str) -> str | None:
        return self.client.check_claim_status(x12_276, payer_id=payer_id)

    def fetch_reports(self, cursor: str | None) -> ReportPage:
        self.far.run_once()
        return self.client.fetch_reports(cursor)

    def reports_applied(self, page: ReportPage) -> None:
        self.client.reports_applied(page)

    def put_report(self, name: str, text: str, folder: str = "outbound") -> Path:
        """A report file in the outbound folder (or another) as the far side leaves it: the SFTP user's own."""
        path = self.folder(folder) / name
        path.write_text(text)
        owner = path.parent.stat()
        os.chown(path, owner.st_uid, owner.st_gid)
        return path

    def folder(self, name: str) -> Path:
        """One of the mailbox's folders, as the far side sees it."""
        return self.root / name

    def received(self) -> list[str]:
        """The control number of every file the far side took, in order (a file taken twice shows twice)."""
        from tasks.clearinghouse.sandbox.mailbox import read_received

        return [str(row["control"]) for row in read_received(self.root)]
