"""The sandbox simulator behind Stedi's published contract (`groupbill sandbox serve --profile stedi`).

Same paths under the same version prefixes, the key in `Authorization`, the same bodies and status codes:
    POST /2024-04-01/change/medicalnetwork/eligibility/v3/raw-x12            {"x12": 270} -> {"x12": 271 | 999}
    POST /2024-04-01/change/medicalnetwork/claimstatus/v2/raw-x12            {"x12": 276} -> {"x12": 277}
    POST /2024-04-01/change/medicalnetwork/professionalclaims/v3/raw-x12-submission  (Idempotency-Key)
         {"x12": 837P} -> 200 SUCCESS | 400 ERROR, with Stedi's 277CA (or the 999) in `x12`
    GET  /2023-08-01/polling/transactions?startDateTime=|pageToken=&pageSize= -> {"items", "nextPageToken"}
    GET  /2023-08-01/transactions/{id}/input -> 302 to a pre-signed download URL this server also serves
A connection to it differs from production only in its base URLs. The fault switches are the sandbox's.
"""

import hashlib
import hmac
import logging
import time
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from models.clock import utcnow
from models.errors import ClearinghouseRejected
from tasks.clearinghouse.sandbox import stedi_answers as shapes
from tasks.clearinghouse.sandbox import stedi_feed
from tasks.clearinghouse.sandbox.faults import FaultMiddleware, Faults
from tasks.clearinghouse.sandbox.server import admin_routes
from tasks.clearinghouse.sandbox.simulator import SandboxClearinghouse
from tasks.clearinghouse.sandbox.stedi_store import StediStore
from tasks.clearinghouse.stedi import contract as c

log = logging.getLogger("groupbill.sandbox.stedi")
HEALTHCARE, CORE = f"/{c.HEALTHCARE_VERSION}", f"/{c.CORE_VERSION}"
API = (HEALTHCARE + "/", CORE + "/", stedi_feed.DOWNLOADS)


def error(status: int, message: str, code: str) -> JSONResponse:
    """Stedi's error shape."""
    return JSONResponse({"message": message, "code": code}, status_code=status)


def create_stedi_app(
    sandbox: SandboxClearinghouse, store: StediStore, api_key: str, faults: Faults | None = None, lag: float = 0.0
) -> Any:
    """The ASGI app: Stedi's calls, the admin endpoints, the key check and the fault middleware."""
    faults = faults or Faults()
    app = FastAPI(title="groupbill sandbox (Stedi contract)", docs_url=None, redoc_url=None, openapi_url=None)
    signer = stedi_feed.Signer()

    @app.middleware("http")
    async def require_key(request: Request, call_next: Any) -> Any:
        if request.url.path.startswith(stedi_feed.DOWNLOADS):
            return await call_next(request)  # a pre-signed URL is its own credential
        given = request.headers.get("authorization")
        if not given:
            return error(401, "Unauthorized", "UNAUTHORIZED")
        if not hmac.compare_digest(given.encode(), api_key.encode()):
            return error(403, "Forbidden: invalid API key", "FORBIDDEN")
        return await call_next(request)

    @app.post(HEALTHCARE + c.ELIGIBILITY)
    async def eligibility(request: Request) -> Response:
        x12 = await _x12(request)
        if isinstance(x12, Response):
            return x12
        return _eligibility(sandbox, x12)

    @app.post(HEALTHCARE + c.CLAIM_STATUS)
    async def claim_status(request: Request) -> Response:
        x12 = await _x12(request)
        if isinstance(x12, Response):
            return x12
        return JSONResponse({"x12": sandbox.check_claim_status(x12, payer_id="")})

    @app.post(HEALTHCARE + c.PROFESSIONAL_CLAIMS)
    async def claims(request: Request) -> Response:
        raw = await request.body()
        x12 = await _x12(request)
        if isinstance(x12, Response):
            return x12
        key = request.headers.get(c.IDEMPOTENCY_HEADER, "")
        if len(key) > c.MAX_IDEMPOTENCY_KEY:
            return error(400, "Idempotency-Key is longer than 255 characters", "BAD_REQUEST")
        return stedi_feed.submit(sandbox, store, x12, key, hashlib.sha256(raw).hexdigest())

    @app.get(CORE + c.POLLING)
    def polling(request: Request) -> Response:
        base = str(request.base_url).rstrip("/")
        return stedi_feed.poll(sandbox, store, dict(request.query_params), base, lag)

    @app.get(CORE + "/transactions/{transaction_id}/input")
    def document(transaction_id: str, request: Request) -> Response:
        row = store.transaction(transaction_id)
        if row is None:
            return error(404, "Transaction not found", "NOT_FOUND")
        url = signer.url(str(request.base_url).rstrip("/"), transaction_id)
        return JSONResponse({"documentDownloadUrl": url}, status_code=302, headers={"Location": url})

    @app.get(stedi_feed.DOWNLOADS + "{transaction_id}")
    def download(transaction_id: str, request: Request) -> Response:
        if "authorization" in request.headers:  # as S3: a pre-signed URL takes no second credential
            return PlainTextResponse("Only one auth mechanism allowed", status_code=400)
        query = request.query_params
        if not signer.valid(transaction_id, query.get("X-Amz-Expires", ""), query.get("X-Amz-Signature", "")):
            return PlainTextResponse("Request has expired or the signature does not match", status_code=403)
        row = store.transaction(transaction_id)
        if row is None:
            return PlainTextResponse("NoSuchKey", status_code=404)
        return PlainTextResponse(row.text, media_type="application/edi-x12")

    _admin(app, sandbox, faults)
    return FaultMiddleware(app, faults, API)


async def _x12(request: Request) -> str | Response:
    """The body's `x12` string, or Stedi's 400."""
    try:
        body = await request.json()
    except ValueError:
        return error(400, "Request body is not valid JSON", "BAD_REQUEST")
    if not isinstance(body, dict) or not isinstance(body.get("x12"), str) or not body["x12"].strip():
        return error(400, "x12 is required", "BAD_REQUEST")
    return str(body["x12"])


def _eligibility(sandbox: SandboxClearinghouse, x12: str) -> Response:
    try:
        answer = sandbox.check_eligibility(x12, payer_id="")
    except ClearinghouseRejected as exc:
        if "not valid X12" not in str(exc):
            return error(400, str(exc), "BAD_REQUEST")
        answer = shapes.invalid_270_999(x12, int(time.time()) % 10**9)
    return JSONResponse(shapes.eligibility_json(answer, ""))


def _admin(app: FastAPI, sandbox: SandboxClearinghouse, faults: Faults) -> None:
    admin_routes(app, sandbox, faults)

    @app.get("/admin/now")
    def now() -> dict[str, str]:
        return {"now": utcnow().isoformat()}
