"""How pipeline steps run under Prefect: results persisted for the UI's Retry; clearinghouse calls retried
on transient trouble only, with backoff and jitter."""

from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from prefect import Task, task
from prefect.tasks import exponential_backoff

from models.errors import ClearinghouseUnavailable
from tasks.failures import remember_failed_step

P = ParamSpec("P")
R = TypeVar("R")


def retry_if_transient(_task: Any, _run: Any, state: Any) -> bool:
    """Retry only what may pass next time: the clearinghouse or the database being unavailable."""
    # Imported here: SQLAlchemy takes a quarter second to import, and an event-triggered run counts
    # as started only once its flow module has loaded.
    from sqlalchemy.exc import OperationalError

    return isinstance(state.result(raise_on_failure=False), (ClearinghouseUnavailable, OperationalError))


def step_task(name: str) -> Callable[[Callable[P, R]], Task[P, R]]:
    """A pipeline step whose result (IDs and counts only) is persisted, so the UI's Retry, which re-runs
    the flow under the same run ID, finds it in the cache and does not run the step again."""
    return task(name=name, persist_result=True, on_failure=[remember_failed_step])


def network_task(name: str) -> Callable[[Callable[P, R]], Task[P, R]]:
    """A step that talks to the clearinghouse: 3 retries, exponential backoff, 50 % jitter, transient only."""
    return task(
        name=name,
        persist_result=True,
        retries=3,
        retry_delay_seconds=exponential_backoff(backoff_factor=2),
        retry_jitter_factor=0.5,
        retry_condition_fn=retry_if_transient,
        on_failure=[remember_failed_step],
    )


_EXISTING_LIMITS: dict[str, bool] = {}


def payer_slot(name: str) -> None:
    """Take a slot of the Prefect rate limit `name` when the server has one (make serve creates them);
    without one (embedded runs, tests) the client's token bucket alone paces the calls."""
    from prefect.client.orchestration import get_client
    from prefect.concurrency.sync import rate_limit
    from prefect.exceptions import ObjectNotFound

    if name not in _EXISTING_LIMITS:
        try:
            with get_client(sync_client=True) as client:
                client.read_global_concurrency_limit_by_name(name)
            _EXISTING_LIMITS[name] = True
        except ObjectNotFound:
            _EXISTING_LIMITS[name] = False
    if _EXISTING_LIMITS[name]:
        rate_limit(name, strict=False)
