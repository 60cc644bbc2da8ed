"""The sandbox simulator behind the REST profile (FastAPI), with switchable faults and an API key."""

import hmac
import logging
from typing import Any

from fastapi import FastAPI, Header, HTTPException, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from models.errors import ClearinghouseRejected
from tasks.clearinghouse.protocol import Receipt
from tasks.clearinghouse.sandbox.faults import FaultMiddleware, Faults, FaultSettings
from tasks.clearinghouse.sandbox.simulator import SandboxClearinghouse

log = logging.getLogger("groupbill.sandbox.server")


class EligibilityRequest(BaseModel):
    """POST /v1/eligibility (a 270) and /v1/claim-status (a 276)."""

    payer_id: str
    x12: str


class ClaimsRequest(BaseModel):
    """POST /v1/claims."""

    payer_id: str
    control_number: str
    x12: str


def receipt_json(receipt: Receipt) -> dict[str, Any]:
    """A receipt as JSON."""
    return {
        "control_number": receipt.control_number,
        "receipt_id": receipt.receipt_id,
        "received_at": receipt.received_at.isoformat(),
        "claim_count": receipt.claim_count,
    }


def create_app(sandbox: SandboxClearinghouse, api_key: str, faults: Faults | None = None) -> Any:
    """The ASGI app: the REST profile, admin endpoints, the key check and the fault middleware."""
    faults = faults or Faults()
    app = FastAPI(title="groupbill sandbox clearinghouse", docs_url=None, redoc_url=None, openapi_url=None)

    @app.middleware("http")
    async def require_key(request: Request, call_next: Any) -> Any:
        given = request.headers.get("x-api-key", "")
        if not hmac.compare_digest(given.encode(), api_key.encode()):
            return JSONResponse({"detail": "missing or wrong API key"}, status_code=401)
        return await call_next(request)

    @app.exception_handler(ClearinghouseRejected)
    async def rejected(_: Request, exc: ClearinghouseRejected) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=400)

    @app.post("/v1/eligibility")
    def eligibility(body: EligibilityRequest) -> dict[str, str]:
        return {"x12": sandbox.check_eligibility(body.x12, payer_id=body.payer_id)}

    @app.post("/v1/claim-status")
    def claim_status(body: EligibilityRequest) -> dict[str, str]:
        return {"x12": sandbox.check_claim_status(body.x12, payer_id=body.payer_id)}

    @app.post("/v1/claims", status_code=201)
    def claims(body: ClaimsRequest, idempotency_key: str = Header(...)) -> Any:
        if idempotency_key != body.control_number:
            raise HTTPException(400, "Idempotency-Key must be the interchange control number")
        known = sandbox.was_received(body.control_number)
        receipt = known or sandbox.submit(body.x12, control_number=body.control_number, payer_id=body.payer_id)
        log.info(
            "interchange %s %s (%d claims)",
            receipt.control_number,
            "resent" if known else "received",
            receipt.claim_count,
        )
        return JSONResponse({"receipt": receipt_json(receipt)}, status_code=200 if known else 201)

    @app.get("/v1/claims/{control_number}")
    def claim_receipt(control_number: str) -> dict[str, Any]:
        receipt = sandbox.was_received(control_number)
        if receipt is None:
            raise HTTPException(404, "no such interchange")
        return {"receipt": receipt_json(receipt)}

    @app.get("/v1/reports")
    def reports(cursor: str = Query("")) -> dict[str, Any]:
        page = sandbox.fetch_reports(cursor or None)
        return {
            "reports": [{"id": r.report_id, "kind": r.kind, "x12": r.text} for r in page.reports],
            "next_cursor": page.next_cursor,
        }

    admin_routes(app, sandbox, faults)
    return FaultMiddleware(app, faults)


def admin_routes(app: FastAPI, sandbox: SandboxClearinghouse, faults: Faults) -> None:
    """The test-only switches every sandbox server has: faults to read and set, what was received."""

    @app.get("/admin/faults")
    def get_faults() -> dict[str, Any]:
        return {"settings": faults.settings.model_dump(), "hits": faults.hits}

    @app.post("/admin/faults")
    def set_faults(settings: FaultSettings) -> dict[str, Any]:
        faults.configure(settings)
        return {"settings": faults.settings.model_dump(), "hits": faults.hits}

    @app.get("/admin/received")
    def received() -> dict[str, Any]:
        return {"count": sandbox.state.submission_count(), "control_numbers": sandbox.state.control_numbers()}
