"""Polling for something a background process does (a Prefect server, a served deployment)."""

import threading
import time
from collections.abc import Callable
from typing import Any


def wait_for(found: Callable[[], Any], seconds: float, what: str) -> Any:
    """Poll `found` every half second until it returns something truthy; AssertionError after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = found()
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError(f"timed out after {seconds:.0f} s waiting for {what}")


def still_running(thread: threading.Thread, seconds: float) -> bool:
    """Whether `thread` is still running after `seconds` (blocked, say, on another transaction's lock).

    A sleep, not `thread.join(timeout)`: under libfaketime (`.ci/at`) a thread's timed wait lasts the
    whole clock offset, while a sleep lasts what it says."""
    time.sleep(seconds)
    return thread.is_alive()
