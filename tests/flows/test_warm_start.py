"""Served runs are forked from the warm server: Prefect's own run call, started without a cold import."""

import json
import multiprocessing
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from prefect import flow

from deployments import warm_start


@flow(name="warm-start-probe")
def probe(out: str) -> None:
    """Write down where this run ran and what its process had imported before the run began."""
    Path(out).write_text(
        json.dumps(
            {
                "pid": os.getpid(),
                "parent": os.getppid(),
                "preloaded": "flows.preauth" in sys.modules,
                "deployment": os.environ.get("PREFECT__DEPLOYMENT_NAME"),
            }
        )
    )


@pytest.fixture
def starter_restored() -> Iterator[None]:
    """Put Prefect's starter back after a test that installed the warm one."""
    from prefect.runner import _starter_direct

    original = _starter_direct.run_flow_in_subprocess
    yield
    _starter_direct.run_flow_in_subprocess = original


def test_the_runner_s_starter_forks_a_run_from_the_warm_server_with_its_modules_and_environment(
    prefect_harness: None, tmp_path: Path, starter_restored: None
) -> None:
    """Through Prefect's own DirectSubprocessStarter (what the runner uses for in-memory flows)."""
    import anyio
    from prefect.client.orchestration import get_client
    from prefect.runner._starter_direct import DirectSubprocessStarter

    out = tmp_path / "probe.json"

    async def start_one() -> None:
        async with get_client() as client:
            run = await client.create_flow_run(probe, parameters={"out": str(out)})
        await DirectSubprocessStarter(flow=probe, deployment_name="probe/warm").start(run)  # returns when it ends

    warm_start.install(("prefect.flow_engine", "flows.preauth"))
    started = time.monotonic()
    anyio.run(start_one)
    seen = json.loads(out.read_text())
    assert seen["parent"] != os.getpid()  # a spawned run is our child; a forked one is the server's
    assert seen["preloaded"]  # imported by the server before the fork, not by the run
    assert seen["deployment"] == "probe/warm"  # the runner's variables for the run still reach it
    assert time.monotonic() - started < 30
    # the rest of the process, and Prefect's own function, still use the standard start methods
    from prefect import flow_engine

    assert flow_engine.multiprocessing is multiprocessing
    assert multiprocessing.get_start_method() == multiprocessing.get_context().get_start_method()
