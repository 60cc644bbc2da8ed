"""The local Stedi-contract server in this process (uvicorn in a thread, a free loopback port) over a
sandbox folder, and a `stedi` connection to it that differs from production only in its base URLs."""

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import uvicorn

from config.clearinghouses import StediConnection
from tasks.clearinghouse.sandbox.faults import Faults, FaultSettings
from tasks.clearinghouse.sandbox.simulator import SandboxClearinghouse
from tasks.clearinghouse.sandbox.stedi_server import create_stedi_app
from tasks.clearinghouse.sandbox.stedi_store import StediStore
from tasks.clearinghouse.stedi.client import StediClearinghouse
from tests.sftp_server import free_port

STEDI_KEY = "test-stedi-key-4c1d"


class StediServer:
    """A running local Stedi server: its URLs, its fault switches, and clients for it."""

    def __init__(self, folder: Path, *, lag: float = 0.0) -> None:
        self.folder, self.port = folder, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.sandbox = SandboxClearinghouse.from_folder(folder)
        self.store, self.faults = StediStore(folder / "stedi.db"), Faults()
        app = create_stedi_app(self.sandbox, self.store, STEDI_KEY, self.faults, lag)
        # log_config=None: uvicorn must not reconfigure this process's logging. dictConfig flushes the handlers
        # it replaces, Prefect's API log handler among them, while holding the logging lock that Prefect's
        # event-loop thread needs to finish that flush: a test after a flow test hung for ever.
        config = uvicorn.Config(
            app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off", log_config=None
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started and time.monotonic() < deadline:
            time.sleep(0.02)

    def connection(self, key_file: Path, **settings: Any) -> StediConnection:
        """A test-mode connection to this server (only the base URLs differ from production)."""
        values: dict[str, Any] = {
            "healthcare_url": f"{self.url}/2024-04-01",
            "core_url": f"{self.url}/2023-08-01",
            "api_key_file": key_file,
            "backoff": 0.01,
            "timeout": 5,
            "connect_timeout": 2,
            "rate_per_second": 200,
        }
        return StediConnection.model_validate(values | settings)

    def client(
        self, tmp_path: Path, key: str = STEDI_KEY, sleep: Callable[[float], None] = time.sleep, **settings: Any
    ) -> StediClearinghouse:
        """A connector with its own state folder under `tmp_path`."""
        tmp_path.mkdir(parents=True, exist_ok=True)
        key_file = tmp_path / "stedi.key"
        key_file.write_text(key)
        key_file.chmod(0o600)
        connection = self.connection(key_file, **settings)
        return StediClearinghouse(connection, key, tmp_path / "stedi-state", sleep=sleep)

    def fault(self, **settings: Any) -> None:
        """Switch faults (none given: all off)."""
        self.faults.configure(FaultSettings(**settings))

    def received(self) -> list[str]:
        """Every interchange control number the simulator took, in order."""
        answer = requests.get(self.url + "/admin/received", headers={"Authorization": STEDI_KEY}, timeout=5)
        return list(answer.json()["control_numbers"])

    def stop(self) -> None:
        """Stop serving."""
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.sandbox.state.close()


@pytest.fixture
def stedi_server(tmp_path: Path) -> Iterator[StediServer]:
    """A local Stedi server over the clearinghouse tests' roster."""
    from tests.tasks.clearinghouse.helpers import roster, write_roster

    running = StediServer(write_roster(tmp_path / "stedi-sandbox", roster()))
    yield running
    running.stop()


class Recorder:
    """Every request a connector sends, as (method, url, headers, json, params), the answers unchanged."""

    def __init__(self, client: StediClearinghouse) -> None:
        self.calls: list[dict[str, Any]] = []
        for session in (client.transport.session, client.transport.downloads):
            self._wrap(session)

    def _wrap(self, session: requests.Session) -> None:
        original = session.request

        def request(method: str, url: str, **kw: Any) -> requests.Response:
            headers = {**session.headers, **(kw.get("headers") or {})}
            call = {"method": method, "url": url, "headers": headers, "json": kw.get("json")}
            self.calls.append(call | {"params": kw.get("params"), "timeout": kw.get("timeout"), "status": None})
            response = original(method, url, **kw)
            self.calls[-1] |= {"status": response.status_code, "sent": dict(response.request.headers)}
            return response

        session.request = request  # type: ignore[method-assign]

    def to(self, fragment: str) -> list[dict[str, Any]]:
        """The calls whose URL holds `fragment`."""
        return [c for c in self.calls if fragment in c["url"]]
