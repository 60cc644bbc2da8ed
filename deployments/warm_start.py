"""Served runs start from a warm process: a fork server that imported Prefect and the flows once.

Prefect's runner starts every served run in a *spawned* interpreter, which imports Prefect again
(2-3 s on a 2-core machine: most of an event-triggered eligibility check's start). Here the runner's
starter (`prefect.runner._starter_direct.run_flow_in_subprocess`, which Prefect documents as the
module reference to patch) still calls Prefect's own `run_flow_in_subprocess`, with the same
cloudpickled call, environment and control channel, but its process comes from multiprocessing's
fork server: started once when `serve` starts, single-threaded, with the modules below imported. Each
run is a fresh fork of it, so runs stay isolated from each other and from the runner.

Nothing of Prefect's is copied: only the start method changes. A Prefect upgrade that renames these
references fails `tests/flows/test_warm_start.py` rather than silently starting cold.
"""

import multiprocessing
import multiprocessing.forkserver
from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace
from typing import Any

# Imported by the fork server before it forks any run: what every served run would import anyway
# (the engines, the flows, and what their tasks import lazily: migrations, the clearinghouses).
PRELOAD = (
    "prefect.flow_engine",
    "prefect.task_engine",
    "prefect.utilities.visualization",
    "flows.alerts",
    "flows.claim_status",
    "flows.claims",
    "flows.eligibility",
    "flows.preauth",
    "models.migrate",
    "tasks.clearinghouse.http_client",
    "tasks.clearinghouse.sandbox.simulator",
)


def install(preload: tuple[str, ...] = PRELOAD) -> None:
    """Start the warm fork server now and make the runner start served runs from it (where the
    platform has one: not on Windows, where runs keep Prefect's cold start)."""
    from prefect.runner import _starter_direct

    if "forkserver" not in multiprocessing.get_all_start_methods():
        return

    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(list(preload))
    multiprocessing.forkserver.ensure_running()  # pays the imports at start-up, not at the first run
    _starter_direct.run_flow_in_subprocess = run_flow_in_warm_process  # type: ignore[attr-defined,assignment]


def run_flow_in_warm_process(*args: Any, **kwargs: Any) -> multiprocessing.process.BaseProcess:
    """Prefect's `run_flow_in_subprocess`, with the process forked from the warm server."""
    from prefect import flow_engine

    with _start_method(flow_engine, "forkserver"):
        return flow_engine.run_flow_in_subprocess(*args, **kwargs)


@contextmanager
def _start_method(module: Any, method: str) -> Iterator[None]:
    """While inside, `module.multiprocessing.get_context(...)` gives the `method` context.

    Only `module`'s own name for the multiprocessing package is rebound (the runner calls the
    starter from its event loop thread and nothing else in that module starts processes), so the
    rest of the process keeps the standard library untouched.
    """
    original = module.multiprocessing
    module.multiprocessing = SimpleNamespace(get_context=lambda _method=None: multiprocessing.get_context(method))
    try:
        yield
    finally:
        module.multiprocessing = original
