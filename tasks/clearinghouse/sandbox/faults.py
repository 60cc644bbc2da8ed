"""Faults the sandbox HTTP server can inject, switchable at start-up and at run time.

Each kind fires for the next N requests (`*_next`, deterministic, for tests) and otherwise at a rate
(`*_rate`, drawn from a seeded generator, for soak runs). They apply to API paths only (/v1/, or Stedi's
under --profile stedi), narrowed to the `paths` prefixes given (e.g. `/v1/claims`: submission and
nothing else).
`refuse_seconds` closes the listening socket for that long (see front.py).
"""

import asyncio
import random
import threading
import time
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

Scope = dict[str, Any]
Receive = Any
Send = Any


class FaultSettings(BaseModel):
    """What to break, and how often."""

    model_config = ConfigDict(extra="forbid")

    error_rate: float = Field(0.0, ge=0, le=1)
    error_next: int = Field(0, ge=0)
    rate_limit_rate: float = Field(0.0, ge=0, le=1)
    rate_limit_next: int = Field(0, ge=0)
    retry_after: float = Field(1.0, ge=0)
    slow_rate: float = Field(0.0, ge=0, le=1)
    slow_next: int = Field(0, ge=0)
    slow_seconds: float = Field(5.0, ge=0)
    drop_rate: float = Field(0.0, ge=0, le=1)
    drop_next: int = Field(0, ge=0)
    refuse_seconds: float = Field(0.0, ge=0, le=3600)
    seed: int = 1
    paths: list[str] = Field(default_factory=lambda: ["/"], min_length=1)  # path prefixes the faults hit


class Faults:
    """The live fault switchboard, shared by all requests."""

    KINDS = ("error", "rate_limit", "slow", "drop")

    def __init__(self, settings: FaultSettings | None = None) -> None:
        self._lock = threading.Lock()
        self.hits: dict[str, int] = dict.fromkeys(self.KINDS, 0)
        self.configure(settings or FaultSettings())

    def configure(self, settings: FaultSettings) -> None:
        """Replace the fault settings (and reseed); refusal starts now and lasts refuse_seconds."""
        with self._lock:
            self.settings = settings
            self._refuse_until = time.monotonic() + settings.refuse_seconds
            self._next = {kind: getattr(settings, f"{kind}_next") for kind in self.KINDS}
            self._rng = random.Random(settings.seed)

    def refusing(self) -> bool:
        """True while new connections must be refused."""
        return time.monotonic() < self._refuse_until

    def draw(self) -> str | None:
        """The fault for this request, if any (at most one)."""
        with self._lock:
            for kind in self.KINDS:
                if self._next[kind] > 0:
                    self._next[kind] -= 1
                    self.hits[kind] += 1
                    return kind
            for kind in self.KINDS:
                if self._rng.random() < getattr(self.settings, f"{kind}_rate"):
                    self.hits[kind] += 1
                    return kind
        return None


class FaultMiddleware:
    """ASGI middleware that breaks /v1/ requests the way real networks and servers do."""

    def __init__(self, app: Any, faults: Faults, api: tuple[str, ...] = ("/v1/",)) -> None:
        self.app, self.faults, self.api = app, faults, api

    def _targeted(self, path: str) -> bool:
        """Faults hit API paths (`api`: /v1/, or Stedi's) that start with one of the configured prefixes."""
        return path.startswith(self.api) and any(path.startswith(prefix) for prefix in self.faults.settings.paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        fault = self.faults.draw() if scope["type"] == "http" and self._targeted(scope["path"]) else None
        if fault == "error":
            await _respond(send, 500, b'{"detail":"injected server error"}')
        elif fault == "rate_limit":
            retry = str(self.faults.settings.retry_after).encode()
            await _respond(send, 429, b'{"detail":"slow down"}', [(b"retry-after", retry)])
        elif fault == "drop":
            await self.app(scope, receive, _dropping(send))
        else:
            if fault == "slow":
                await asyncio.sleep(self.faults.settings.slow_seconds)
            await self.app(scope, receive, send)


async def _respond(send: Send, status: int, body: bytes, headers: list[tuple[bytes, bytes]] | None = None) -> None:
    head = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), *(headers or [])]
    await send({"type": "http.response.start", "status": status, "headers": head})
    await send({"type": "http.response.body", "body": body})


class DroppedConnection(Exception):
    """Raised after the request was handled, so the client never sees the answer."""


def _dropping(send: Send) -> Send:
    """A `send` that lets the response headers out, then drops the connection before the body."""

    async def send_and_drop(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            await send(message)
            return
        raise DroppedConnection("connection dropped after the request was stored")

    return send_and_drop
