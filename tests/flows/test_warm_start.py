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
                "env": os.environ.get("GROUPBILL_WARM_START_PROBE"),
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


def test_a_run_is_forked_from_the_warm_server_with_its_modules_and_the_runner_s_environment(
    prefect_harness: None, tmp_path: Path, starter_restored: None
) -> None:
    from prefect.flow_engine import run_flow_in_subprocess
    from prefect.runner import _starter_direct

    warm_start.install(("prefect.flow_engine", "flows.preauth"))
    assert _starter_direct.run_flow_in_subprocess is warm_start.run_flow_in_warm_process
    out = tmp_path / "probe.json"
    started = time.monotonic()
    process = _starter_direct.run_flow_in_subprocess(
        probe, parameters={"out": str(out)}, env={"GROUPBILL_WARM_START_PROBE": "yes"}
    )
    process.join(60)
    seen = json.loads(out.read_text())
    assert process.exitcode == 0
    assert seen["parent"] != os.getpid()  # a spawned run is our child; a forked one is the server's
    assert seen["preloaded"]  # imported by the server before the fork, not by the run
    assert seen["env"] == "yes"  # the runner's variables for the run still reach it
    assert time.monotonic() - started < 30
    # the rest of the process, and Prefect's own function, still use the standard start methods
    assert multiprocessing.get_start_method() == multiprocessing.get_context().get_start_method()
    assert run_flow_in_subprocess.__module__ == "prefect.flow_engine"
    from prefect import flow_engine

    assert flow_engine.multiprocessing is multiprocessing
