"""Stedi calls over requests: the API key in `Authorization`, connect and read timeouts on every call, TLS
verified, and retries only on transient failures (connection errors, timeouts, 429 with its Retry-After,
5xx) with exponential backoff and jitter. A POST is retried only when repeating it is harmless: an
inquiry (270, 276) or a claim submission carrying its Idempotency-Key. Downloads of pre-signed URLs go
through a second session that never carries the key."""

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import requests
import urllib3

from models.errors import ClearinghouseAuthFailed, ClearinghouseError, ClearinghouseRejected, ClearinghouseUnavailable
from tasks.clearinghouse.http_client import TRANSIENT_STATUS, _retry_after, translate
from tasks.clearinghouse.rate import TokenBucket
from tasks.clearinghouse.stedi.contract import IDEMPOTENCY_HEADER

log = logging.getLogger("groupbill.clearinghouse.stedi")


@dataclass(frozen=True, slots=True)
class Policy:
    """Timeouts and retries of one connection."""

    connect_timeout: float = 5.0
    read_timeout: float = 60.0
    attempts: int = 4
    backoff: float = 0.5
    max_backoff: float = 8.0
    rate_per_second: float = 5.0


class Transport:
    """One connection's HTTP: `call` for the API (with the key), `download` for pre-signed URLs (without)."""

    def __init__(
        self,
        api_key: str,
        policy: Policy = Policy(),
        *,
        session: requests.Session | None = None,
        downloads: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self.policy, self.sleep, self.rng = policy, sleep, rng or random.Random()
        self.session, self.downloads = session or requests.Session(), downloads or requests.Session()
        for s in (self.session, self.downloads):
            s.verify = True
            s.trust_env = False  # no netrc credentials or proxy settings slipped in from the environment
        self.session.headers.update({"Authorization": api_key, "Accept": "application/json"})
        self.downloads.headers.pop("Authorization", None)
        self.bucket = TokenBucket(policy.rate_per_second, sleep=sleep)

    def call(self, method: str, url: str, *, idempotency_key: str | None = None, **kw: Any) -> requests.Response:
        """The answer to one API call, retried while transient; `answers` statuses are handed back as they are."""
        headers = {IDEMPOTENCY_HEADER: idempotency_key} if idempotency_key else {}
        retryable = method == "GET" or idempotency_key is not None or kw.pop("inquiry", False)
        return self._retrying(method, url, retryable, lambda: self._send(self.session, method, url, headers, kw))

    def download(self, url: str) -> str:
        """A pre-signed URL's document: no API key, no redirects followed blindly; retried while transient."""
        response = self._retrying(
            "GET", url.split("?")[0], True, lambda: self._send(self.downloads, "GET", url, {}, {})
        )
        return response.content.decode("latin-1")

    def _send(
        self, session: requests.Session, method: str, url: str, headers: dict[str, str], kw: dict[str, Any]
    ) -> requests.Response:
        answers = kw.get("answers", frozenset())
        sent = {k: v for k, v in kw.items() if k in ("json", "params")}
        response = session.request(method, url, headers=headers, timeout=self._timeout(), allow_redirects=False, **sent)
        return check(response, answers)

    def _timeout(self) -> tuple[float, float]:
        return (self.policy.connect_timeout, self.policy.read_timeout)

    def _retrying(
        self, method: str, url: str, retryable: bool, send: Callable[[], requests.Response]
    ) -> requests.Response:
        for attempt in range(1, self.policy.attempts + 1):
            self.bucket.acquire(url.split("/")[2] if "//" in url else url)
            try:
                return send()
            except ClearinghouseUnavailable as exc:
                failure: ClearinghouseError = exc
                wait = exc.retry_after
            except (requests.RequestException, urllib3.exceptions.HTTPError) as exc:
                failure, wait = translate(exc), None
                if not isinstance(failure, ClearinghouseUnavailable):
                    raise failure from exc
            log.warning(
                "stedi %s %s failed (attempt %d of %d): %s", method, _path(url), attempt, self.policy.attempts, failure
            )
            if not retryable or attempt == self.policy.attempts:
                raise failure
            self.sleep(wait if wait is not None else self._backoff(attempt))
        raise AssertionError("unreachable")  # pragma: no cover

    def _backoff(self, attempt: int) -> float:
        delay: float = min(self.policy.max_backoff, self.policy.backoff * 2 ** (attempt - 1))
        return delay * (0.5 + self.rng.random())


def check(response: requests.Response, answers: frozenset[int] = frozenset()) -> requests.Response:
    """The response if it is an answer (2xx, 302, or a status the caller reads itself); else our error."""
    status = response.status_code
    if status in answers or status < 300 or status == 302:
        return response
    if status in (401, 403):
        raise ClearinghouseAuthFailed(f"Stedi refused the API key ({status}): {message_of(response)}")
    if status in TRANSIENT_STATUS:
        retry_after = _retry_after(response) if status == 429 else None
        raise ClearinghouseUnavailable(f"Stedi answered {status}: {message_of(response)}", retry_after=retry_after)
    raise ClearinghouseRejected(f"Stedi refused the request ({status}): {message_of(response)}")


def message_of(response: requests.Response) -> str:
    """Stedi's `{"message", "code"}` error in one line (never the request's content)."""
    try:
        body = response.json()
    except ValueError:
        return response.text[:200].replace("\n", " ")
    if not isinstance(body, dict):
        return str(body)[:200]
    code = f" [{body['code']}]" if body.get("code") else ""
    return f"{str(body.get('message', ''))[:200]}{code}"


def json_of(response: requests.Response) -> dict[str, Any]:
    """The JSON object of an answer; anything else is a transient fault of the far side."""
    try:
        body = response.json()
    except ValueError:
        raise ClearinghouseUnavailable("Stedi answered with something that is not JSON") from None
    if not isinstance(body, dict):
        raise ClearinghouseUnavailable("Stedi answered with JSON that is not an object")
    return body


def _path(url: str) -> str:
    """The URL's path only: a pre-signed query string is a credential of its own."""
    rest = url.split("//", 1)[-1]
    return "/" + rest.split("/", 1)[1].split("?")[0] if "/" in rest else "/"
