"""A token bucket: at most `rate` calls a second to one payer, with bursts up to `capacity`."""

import threading
import time
from collections.abc import Callable


class TokenBucket:
    """Per-key token buckets; `acquire` waits (sleeps) until a token is free."""

    def __init__(
        self,
        rate: float,
        capacity: float | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate, self.capacity = rate, capacity or max(rate, 1.0)
        self._clock, self._sleep = clock, sleep
        self._tokens: dict[str, tuple[float, float]] = {}  # key -> (tokens, at)
        self._lock = threading.Lock()

    def acquire(self, key: str) -> float:
        """Take one token for `key`, waiting if needed; returns the seconds waited."""
        with self._lock:
            now = self._clock()
            tokens, at = self._tokens.get(key, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - at) * self.rate)
            wait = 0.0 if tokens >= 1 else (1 - tokens) / self.rate
            # After waiting, the token that refilled is the one taken: empty bucket at now + wait.
            self._tokens[key] = (0.0, now + wait) if wait else (tokens - 1, now)
        if wait:
            self._sleep(wait)
        return wait
