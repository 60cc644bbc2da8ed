"""The sandbox in-process, and the sandbox HTTP server on loopback (started and stopped here)."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests

from tasks.clearinghouse.sandbox.simulator import SandboxClearinghouse
from tasks.clearinghouse.sandbox.state import SandboxState
from tests.tasks.clearinghouse.helpers import roster, write_roster

API_KEY = "test-key-7f3a"
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
                if requests.get(self.url + "/admin/faults", headers={"X-API-Key": API_KEY}, timeout=1).ok:
                    return
            except requests.ConnectionError:
                time.sleep(0.1)
        raise RuntimeError(f"sandbox server did not start: {self.log.read_text()[-2000:]}")

    def admin(self, path: str, **faults: object) -> dict:  # type: ignore[type-arg]
        headers = {"X-API-Key": API_KEY}
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
