"""How pipeline tasks that call the clearinghouse retry: transient trouble only, with backoff and jitter."""

from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from prefect import Task, task
from prefect.tasks import exponential_backoff
from sqlalchemy.exc import OperationalError

from models.errors import ClearinghouseUnavailable

P = ParamSpec("P")
R = TypeVar("R")
TRANSIENT = (ClearinghouseUnavailable, OperationalError)


def retry_if_transient(_task: Any, _run: Any, state: Any) -> bool:
    """Retry only what may pass next time: the clearinghouse or the database being unavailable."""
    return isinstance(state.result(raise_on_failure=False), TRANSIENT)


def network_task(name: str) -> Callable[[Callable[P, R]], Task[P, R]]:
    """A task that talks to the clearinghouse: 3 retries, exponential backoff, 50 % jitter, transient only."""
    return task(
        name=name,
        retries=3,
        retry_delay_seconds=exponential_backoff(backoff_factor=2),
        retry_jitter_factor=0.5,
        retry_condition_fn=retry_if_transient,
    )
