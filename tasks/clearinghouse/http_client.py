"""The clearinghouse over HTTPS with requests: the only module that imports requests.

REST profile (what a clearinghouse adapter speaks; the sandbox server implements it):
    POST /v1/eligibility  {"payer_id", "x12"}                    -> {"x12"}
    POST /v1/claim-status {"payer_id", "x12"}  (a 276)           -> {"x12"}  (the 277)
    POST /v1/claims       {"payer_id", "control_number", "x12"}  -> {"receipt"}  (Idempotency-Key header)
    GET  /v1/claims/{control_number}                             -> {"receipt"} or 404
    GET  /v1/reports?cursor=C                -> {"reports": [{"id", "kind", "x12"}], "next_cursor"}
Every request carries X-API-Key, has connect and read timeouts, and verifies TLS. Only transient
failures are retried (connection errors, timeouts, 429 honouring Retry-After, 5xx), with
exponential backoff and jitter; a POST is retried only because it carries an idempotency key.
"""

import logging
import random
import time
import uuid
from collections.abc import Callable
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any

import requests
import urllib3

from models.errors import ClearinghouseAuthFailed, ClearinghouseError, ClearinghouseRejected, ClearinghouseUnavailable
from tasks.clearinghouse.protocol import Content, Receipt, Report, ReportPage
from tasks.clearinghouse.rate import TokenBucket

log = logging.getLogger("groupbill.clearinghouse.http")
TRANSIENT_STATUS = frozenset({429, 500, 502, 503, 504})
MAX_RETRY_AFTER = 60.0
_PERMANENT = (
    requests.exceptions.SSLError,
    requests.exceptions.URLRequired,
    requests.exceptions.MissingSchema,
    requests.exceptions.InvalidSchema,
    requests.exceptions.InvalidURL,
    requests.exceptions.InvalidHeader,
    requests.exceptions.InvalidJSONError,
    requests.exceptions.TooManyRedirects,
    requests.exceptions.UnrewindableBodyError,
    requests.exceptions.StreamConsumedError,
    urllib3.exceptions.SSLError,
    urllib3.exceptions.LocationValueError,
    urllib3.exceptions.ProxySchemeUnknown,
    urllib3.exceptions.HeaderParsingError,
)


def translate(exc: Exception) -> ClearinghouseError:
    """A requests or urllib3 failure as one of ours: permanent when retrying cannot help, else transient."""
    if isinstance(exc, _PERMANENT):
        return ClearinghouseRejected(f"request cannot be sent: {type(exc).__name__}")
    return ClearinghouseUnavailable(f"clearinghouse unreachable: {type(exc).__name__}")


class HttpClearinghouse:
    """The Clearinghouse protocol over the REST profile above."""

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        connect_timeout: float = 3.05,
        read_timeout: float = 30.0,
        attempts: int = 4,
        backoff: float = 0.5,
        max_backoff: float = 8.0,
        rate_per_second: float = 5.0,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self.base_url, self.timeout = base_url.rstrip("/"), (connect_timeout, read_timeout)
        self.attempts, self.backoff, self.max_backoff = attempts, backoff, max_backoff
        self.session = session or requests.Session()
        self.session.verify = True
        self.session.headers.update({"X-API-Key": api_key, "Accept": "application/json"})
        self.sleep, self.rng = sleep, rng or random.Random()
        self.bucket = TokenBucket(rate_per_second, sleep=sleep)

    def check_eligibility(self, x12_270: str, *, payer_id: str) -> str:
        """POST /v1/eligibility."""
        body = self._call(
            "POST",
            "/v1/eligibility",
            payer_id,
            json={"payer_id": payer_id, "x12": x12_270},
            idempotency_key=str(uuid.uuid4()),
        )
        return str(body["x12"])

    def check_claim_status(self, x12_276: str, *, payer_id: str) -> str:
        """POST /v1/claim-status: a 276 answered at once (a read: retried on transient failures)."""
        body = self._call(
            "POST",
            "/v1/claim-status",
            payer_id,
            json={"payer_id": payer_id, "x12": x12_276},
            idempotency_key=str(uuid.uuid4()),
        )
        return str(body["x12"])

    def submit(self, x12_837: str, *, control_number: str, payer_id: str) -> Receipt:
        """POST /v1/claims with the interchange control number as idempotency key."""
        body = self._call(
            "POST",
            "/v1/claims",
            payer_id,
            idempotency_key=control_number,
            json={"payer_id": payer_id, "control_number": control_number, "x12": x12_837},
        )
        return receipt_from_json(body["receipt"])

    def was_received(self, control_number: str, *, expected: Content | None = None) -> Receipt | None:
        """GET /v1/claims/{control_number}; None on 404 (the profile has no content to compare `expected` with)."""
        body = self._call("GET", f"/v1/claims/{control_number}", "lookup", allow_404=True)
        return None if body is None else receipt_from_json(body["receipt"])

    def fetch_reports(self, cursor: str | None) -> ReportPage:
        """GET /v1/reports?cursor=."""
        body = self._call("GET", "/v1/reports", "reports", params={"cursor": cursor or ""})
        reports = tuple(Report(str(r["id"]), str(r["kind"]), str(r["x12"])) for r in body["reports"])
        return ReportPage(reports, str(body["next_cursor"]))

    def _call(
        self,
        method: str,
        path: str,
        rate_key: str,
        *,
        json: dict[str, Any] | None = None,
        params: dict[str, str] | None = None,
        idempotency_key: str | None = None,
        allow_404: bool = False,
    ) -> Any:
        retryable = method == "GET" or idempotency_key is not None
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
        for attempt in range(1, self.attempts + 1):
            self.bucket.acquire(rate_key)
            try:
                response = self.session.request(
                    method, self.base_url + path, json=json, params=params, headers=headers, timeout=self.timeout
                )
                return self._result(response, allow_404)
            except ClearinghouseUnavailable as exc:
                failure: ClearinghouseError = exc
                wait = exc.retry_after
            except (requests.RequestException, urllib3.exceptions.HTTPError) as exc:
                failure, wait = translate(exc), None
                if not isinstance(failure, ClearinghouseUnavailable):
                    raise failure from exc
            log.warning(
                "clearinghouse %s %s failed (attempt %d of %d): %s", method, path, attempt, self.attempts, failure
            )
            if not retryable or attempt == self.attempts:
                raise failure
            self.sleep(wait if wait is not None else self._backoff(attempt))
        raise AssertionError("unreachable")  # pragma: no cover

    def _backoff(self, attempt: int) -> float:
        delay: float = min(self.max_backoff, self.backoff * 2 ** (attempt - 1))
        return delay * (0.5 + self.rng.random())

    def _result(self, response: requests.Response, allow_404: bool) -> Any:
        status = response.status_code
        if status in (401, 403):
            raise ClearinghouseAuthFailed(f"clearinghouse refused the API key ({status})")
        if status == 404 and allow_404:
            return None
        if status in TRANSIENT_STATUS:
            retry_after = _retry_after(response) if status == 429 else None
            raise ClearinghouseUnavailable(f"clearinghouse answered {status}", retry_after=retry_after)
        if status >= 400:
            raise ClearinghouseRejected(f"clearinghouse refused the request ({status}): {_detail(response)}")
        try:
            return response.json()
        except ValueError:
            raise ClearinghouseUnavailable("clearinghouse answered with something that is not JSON") from None


def receipt_from_json(data: dict[str, Any]) -> Receipt:
    """A receipt from its JSON form."""
    return Receipt(
        str(data["control_number"]),
        str(data["receipt_id"]),
        datetime.fromisoformat(data["received_at"]),
        int(data["claim_count"]),
    )


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:  # an HTTP-date is the server's real time: compared with the system clock, not groupbill's
            seconds = (parsedate_to_datetime(value) - datetime.now(parsedate_to_datetime(value).tzinfo)).total_seconds()
        except (TypeError, ValueError):
            return None
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


def _detail(response: requests.Response) -> str:
    try:
        return str(response.json().get("detail", ""))[:200]
    except ValueError:
        return response.text[:200].replace("\n", " ")
