"""Why a run failed, in one line an operator can act on: which step, what broke, whether anything was
sent twice (never), and what to do before pressing Retry.

The line becomes the failed run's state message (the first thing the Prefect UI shows) and the alert's
cause. It carries step names, record IDs and counts only: exception messages in groupbill carry no
patient data, and an exception from elsewhere is named by its type alone.
"""

import functools
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from models.errors import (
    ClearinghouseAuthFailed,
    ClearinghouseRejected,
    ClearinghouseUnavailable,
    GroupbillError,
    InputError,
)

P = ParamSpec("P")
R = TypeVar("R")
NEVER_TWICE = "nothing was sent twice (a batch left 'submitting' is asked about before any resend)"


def cause_line(exc: BaseException, step: str | None = None, tries: int = 1) -> str:
    """The one-line cause of a run that failed with `exc` in `step` after `tries` attempts."""
    where = f"{step}: " if step else ""
    said = _first_line(exc)
    if isinstance(exc, ClearinghouseUnavailable):
        times = f" on {tries} of {tries} tries" if tries > 1 else ""
        return f"{where}{said}{times}; {NEVER_TWICE}; press Retry when the clearinghouse answers"
    if isinstance(exc, ClearinghouseAuthFailed):
        fix = "fix the clearinghouse credentials (API key, SSH key or password, or their Secret block)"
        return f"{where}{said}; {fix}, then press Retry"
    if isinstance(exc, ClearinghouseRejected):
        return f"{where}{said}; retrying unchanged will not help: fix the request, then press Retry"
    if isinstance(exc, InputError):
        return f"{where}{'; '.join(exc.lines)}; fix it, then press Retry"
    if isinstance(exc, GroupbillError):
        return f"{where}{said}; press Retry once it is fixed"
    if _is_database_error(exc):
        failed = f"the billing database failed ({type(exc).__name__})"
        return f"{where}{failed}; nothing was lost; press Retry when it is back"
    return f"{where}unexpected {type(exc).__name__}; see the failed task's log, then press Retry"


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _is_database_error(exc: BaseException) -> bool:
    from sqlalchemy.exc import SQLAlchemyError

    return isinstance(exc, SQLAlchemyError)


_FAILED_STEPS: dict[str, tuple[str, int]] = {}  # flow run ID -> (step, tries) of its last failed step


def remember_failed_step(task: Any, task_run: Any, _state: Any) -> None:
    """Task hook (on_failure): note which step of the flow run failed, after how many tries."""
    if task_run.flow_run_id is not None:
        _FAILED_STEPS[str(task_run.flow_run_id)] = (task.name, max(task_run.run_count, 1))


def failed_step() -> tuple[str | None, int]:
    """The name and attempt count of this flow run's failed step, noted by its on_failure hook.

    (In this process: the Prefect server records task states from events, later than a flow needs.)"""
    from prefect.runtime import flow_run

    step, tries = _FAILED_STEPS.pop(str(flow_run.get_id()), (None, 1))
    return step, tries


def explained(fn: Callable[P, R]) -> Callable[P, R]:
    """A flow body whose failure ends the run Failed with its one-line cause (the exception is kept:
    a caller of the flow still gets it raised)."""

    @functools.wraps(fn)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        from prefect.exceptions import CancelledRun

        try:
            return fn(*args, **kwargs)
        except CancelledRun:
            raise  # a cancelled run stays cancelled
        except Exception as exc:
            from prefect.states import Failed

            step, tries = failed_step()
            return Failed(message=cause_line(exc, step, tries), data=exc)  # type: ignore[return-value]

    return run
