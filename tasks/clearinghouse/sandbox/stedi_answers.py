"""What the local Stedi server answers, as Stedi's published JSON shapes: an eligibility answer, a claim
answer (`status`, `controlNumber`, `claimReference`, `errors[]`, `x12`), and a polled transaction item."""

import uuid
from typing import Any

from models.clock import utcnow
from models.errors import X12ParseError
from tasks.clearinghouse.protocol import Report
from tasks.clearinghouse.sandbox.stedi_store import Row
from tasks.x12.ack277 import read_277ca
from tasks.x12.ack999 import Ack999, GroupAck, SetAck, read_999, write_999
from tasks.x12.envelope import Header
from tasks.x12.segments import split_segments

REJECTED_CATEGORIES = frozenset({"A3", "A4", "A6", "A7", "A8"})
FOLLOW_UP = "Please Correct and Resubmit"
MODES = {"T": "test", "P": "production"}


def envelope(text: str) -> tuple[str, str, str, str]:
    """(ISA06 sender, ISA13 control number, GS06, mode) of an interchange; blanks where unreadable."""
    try:
        segments = split_segments(text)[1]
    except X12ParseError:
        return "", "", "", "test"
    isa = segments[0] if segments and segments[0][0] == "ISA" and len(segments[0]) > 15 else [""] * 17
    gs = next((s for s in segments if s[0] == "GS" and len(s) > 6), [""] * 7)
    return isa[6].strip(), isa[13].strip(), gs[6].strip(), MODES.get(isa[15].strip(), "test")


def eligibility_json(x12: str, payer_id: str) -> dict[str, Any]:
    """The eligibility answer: a few of the parsed fields Stedi gives, and the raw `x12`."""
    _, control, _, mode = envelope(x12)
    meta = {"applicationMode": mode, "traceId": str(uuid.uuid4())}
    return {"meta": meta, "controlNumber": control, "tradingPartnerServiceId": payer_id, "x12": x12}


def invalid_270_999(text: str, now_control: int) -> str:
    """A 999 refusing a 270 that cannot be read (the reason stays on the server: IK5 5, AK9 R)."""
    sender, _, group, _ = envelope(text)
    header = Header("STEDI", sender or "UNKNOWN", now_control, utcnow().replace(tzinfo=None, microsecond=0))
    set_ack = SetAck("270", "0001", "R", "005010X279A1", ("5",))
    return write_999(Ack999(header, (GroupAck("HS", group or "0", "R", "005010X279A1", (set_ack,)),)))


def claim_json(control: str, payer_id: str, pcn: str, answers: list[Report]) -> tuple[int, dict[str, Any]]:
    """(HTTP status, body) for an 837P the simulator took: ERROR when its 999 or every 277CA claim rejects."""
    by_kind = {r.kind: r.text for r in answers}
    reference = {
        "correlationId": f"SBX{uuid.uuid4().hex[:16].upper()}",
        "patientControlNumber": pcn,
        "payerId": payer_id,
        "formatVersion": "5010",
        "rhclaimNumber": f"R{control}",
    }
    body: dict[str, Any] = {
        "status": "SUCCESS",
        "controlNumber": control,
        "tradingPartnerServiceId": payer_id,
        "claimReference": reference,
        "meta": {"traceId": str(uuid.uuid4())},
    }
    errors = _999_errors(by_kind.get("999", ""))
    body["x12"] = by_kind.get("999", "") if errors else by_kind.get("277", "")
    errors = errors or _277_errors(by_kind.get("277", ""))
    if not errors:
        return 200, body
    return 400, body | {"status": "ERROR", "errors": errors, "httpStatusCode": "400 BAD_REQUEST"}


def _999_errors(text: str) -> list[dict[str, str]]:
    if not text:
        return []
    ack = read_999(text)
    found = []
    for group in ack.groups:
        for s in group.sets:
            if s.status in ("R", "M", "W", "X"):
                where = "; ".join(f"segment {e.segment} at {e.position} error {e.code}" for e in s.errors)
                codes = ",".join(s.codes) or s.status
                found.append(
                    {
                        "code": f"IK5-{codes}",
                        "description": f"X12 validation: {where or 'rejected'}",
                        "followupAction": FOLLOW_UP,
                    }
                )
    return found


def _277_errors(text: str) -> list[dict[str, str]]:
    """Every STC of a 277CA whose claims were all rejected (none accepted: the request is an ERROR)."""
    if not text:
        return []
    claims = read_277ca(text).claims
    rejected = [c for c in claims if c.statuses and c.statuses[0].category in REJECTED_CATEGORIES]
    if not claims or len(rejected) < len(claims):
        return []
    return [
        {
            "code": s.status,
            "description": f"claim {c.patient_control_number}: {s.category}:{s.status}",
            "followupAction": FOLLOW_UP,
        }
        for c in rejected
        for s in c.statuses
    ]


def item_json(row: Row, base: str) -> dict[str, Any]:
    """One polled transaction, shaped as Stedi's: direction, mode, status, processedAt, x12 metadata, artifacts."""
    sender, control, group, _ = envelope(row.text)
    metadata = {
        "interchange": {"acknowledgmentRequestedCode": "0", "controlNumber": int(control) if control.isdigit() else 0},
        "functionalGroup": {"controlNumber": group},
        "transaction": {"controlNumber": "0001", "transactionSetIdentifier": row.set_id},
        "sender": {"isa": {"id": sender}},
        "receiver": {"isa": {"id": ""}},
    }
    url = f"{base}/2023-08-01/transactions/{row.transaction_id}/input"
    artifacts = [{"artifactType": "application/edi-x12", "usage": "input", "url": url, "sizeBytes": len(row.text)}]
    return {
        "transactionId": row.transaction_id,
        "direction": row.direction,
        "mode": row.mode,
        "status": "succeeded",
        "processedAt": row.processed_at.isoformat().replace("+00:00", "Z"),
        "x12": {"metadata": metadata},
        "artifacts": artifacts,
    }
