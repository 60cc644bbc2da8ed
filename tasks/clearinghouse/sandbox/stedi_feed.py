"""The local Stedi server's claim submission (answers kept by Idempotency-Key), its transaction feed (the
sandbox's released reports taken in as INBOUND transactions, our 837s as OUTBOUND ones) and the
pre-signed download URLs of each transaction's input document."""

import base64
import binascii
import hashlib
import hmac
import json
import os
import time
from datetime import datetime, timedelta
from typing import Any

from fastapi.responses import JSONResponse

from models.clock import utcnow
from tasks.clearinghouse.sandbox import stedi_answers as shapes
from tasks.clearinghouse.sandbox.simulator import SandboxClearinghouse
from tasks.clearinghouse.sandbox.stedi_store import Answer, StediStore
from tasks.x12.segments import split_segments

DOWNLOADS = "/stedi-files/"
IDEMPOTENCY_WINDOW = timedelta(hours=24)
URL_LIFETIME = 300  # seconds a download URL is good for
MARK = "sandbox-released"
TAKE_IN = 1000  # released reports taken into the feed per poll (the feed pages them by pageSize)


class Signer:
    """Pre-signed URLs: an expiry and an HMAC over the transaction ID, with this process's own secret."""

    def __init__(self) -> None:
        self.secret = os.urandom(32)

    def url(self, base: str, transaction_id: str) -> str:
        """A download URL good for URL_LIFETIME seconds."""
        expires = str(int(time.time()) + URL_LIFETIME)
        signature = self._sign(transaction_id, expires)
        return f"{base}{DOWNLOADS}{transaction_id}?X-Amz-Expires={expires}&X-Amz-Signature={signature}"

    def valid(self, transaction_id: str, expires: str, signature: str) -> bool:
        """True for an unexpired URL this signer made."""
        if not expires.isdigit() or int(expires) < time.time():
            return False
        return hmac.compare_digest(signature, self._sign(transaction_id, expires))

    def _sign(self, transaction_id: str, expires: str) -> str:
        return hmac.new(self.secret, f"{transaction_id}:{expires}".encode(), hashlib.sha256).hexdigest()


def submit(sandbox: SandboxClearinghouse, store: StediStore, x12: str, key: str, body_sha: str) -> JSONResponse:
    """One 837P: the first answer again for a key seen within 24 hours, else the simulator's answer."""
    prior = store.answer(key) if key else None
    if prior is not None and utcnow() - prior.at < IDEMPOTENCY_WINDOW:
        if prior.body_sha256 != body_sha:
            return _error(409, "Idempotency-Key was already used with a different request", "CONFLICT")
        return JSONResponse(prior.body, status_code=prior.status)
    _, control, _, mode = shapes.envelope(x12)
    if not control.isdigit():
        return _error(400, "x12 is not a readable interchange (ISA13)", "BAD_REQUEST")
    answer = store.answer(f"control:{control}") or _first_answer(sandbox, store, x12, control, mode, body_sha)
    if key:
        store.remember(key, answer)
    return JSONResponse(answer.body, status_code=answer.status)


def _first_answer(
    sandbox: SandboxClearinghouse, store: StediStore, x12: str, control: str, mode: str, body_sha: str
) -> Answer:
    payer, pcn = _payer_and_claim(x12)
    sandbox.submit(x12, control_number=control, payer_id=payer)
    waiting = sandbox.state.answers_of(control)
    status, body = shapes.claim_json(control, payer, pcn, waiting)
    for report in waiting:
        if report.text == body.get("x12"):
            sandbox.state.withhold(report.report_id)  # it is in the answer, not in the feed
    store.append("OUTBOUND", "837", control, mode, x12)
    answer = Answer(body_sha, control, status, body, utcnow())
    store.remember(f"control:{control}", answer)
    return answer


def _payer_and_claim(x12: str) -> tuple[str, str]:
    """The payer's ID (NM1*PR) and the first claim's control number (CLM01) of an 837P, if readable."""
    try:
        segments = split_segments(x12)[1]
    except ValueError:
        return "", ""
    payer = next((s[9] for s in segments if s[0] == "NM1" and len(s) > 9 and s[1] == "PR"), "")
    pcn = next((s[1] for s in segments if s[0] == "CLM" and len(s) > 1), "")
    return payer, pcn


def poll(
    sandbox: SandboxClearinghouse, store: StediStore, query: dict[str, str], base: str, lag: float
) -> JSONResponse:
    """One page of the feed after a pageToken, or after a startDateTime at least a minute in the past."""
    size = query.get("pageSize", "100")
    if not size.isdigit() or not 1 <= int(size) <= 1000:
        return _error(400, "pageSize must be between 1 and 1000", "BAD_REQUEST")
    after = _start(store, query)
    if isinstance(after, JSONResponse):
        return after
    _take_in(sandbox, store)
    rows = store.after(after, int(size), utcnow() - timedelta(seconds=lag))
    items = [shapes.item_json(row, base) for row in rows]
    return JSONResponse({"items": items, "nextPageToken": encode(rows[-1].seq if rows else after)})


def _start(store: StediStore, query: dict[str, str]) -> int | JSONResponse:
    token, start = query.get("pageToken"), query.get("startDateTime")
    if token:
        after = decode(token)
        return after if after is not None else _error(400, "pageToken is not valid", "BAD_REQUEST")
    if not start:
        return _error(400, "startDateTime or pageToken is required", "BAD_REQUEST")
    try:
        moment = datetime.fromisoformat(start.replace("Z", "+00:00"))
    except ValueError:
        return _error(400, "startDateTime must be an ISO 8601 date-time", "BAD_REQUEST")
    if moment.tzinfo is None or moment > utcnow() - timedelta(minutes=1):
        return _error(400, "startDateTime must be at least one minute in the past, with a time zone", "BAD_REQUEST")
    return store.seq_at(moment)


def _take_in(sandbox: SandboxClearinghouse, store: StediStore) -> None:
    """The simulator's newly released reports into the feed as INBOUND transactions (a poll counts once)."""
    reports, last = sandbox.state.poll(store.mark(MARK), TAKE_IN)
    for report in reports:
        _, control, _, mode = shapes.envelope(report.text)
        store.append("INBOUND", report.kind, control, mode, report.text)
    store.set_mark(MARK, last)


def encode(seq: int) -> str:
    """An opaque page token."""
    return base64.urlsafe_b64encode(json.dumps({"v": 1, "after": seq}).encode()).decode().rstrip("=")


def decode(token: str) -> int | None:
    """The position a page token stands for, or None if it is not one of ours."""
    try:
        data: Any = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (ValueError, binascii.Error):
        return None
    after = data.get("after") if isinstance(data, dict) else None
    return after if isinstance(after, int) and after >= 0 else None


def _error(status: int, message: str, code: str) -> JSONResponse:
    return JSONResponse({"message": message, "code": code}, status_code=status)
