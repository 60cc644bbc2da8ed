"""What a 271 means for group psychotherapy on one date: active or not, cost sharing, limits,
authorization, carve-outs, and AAA errors in plain words. Pure code; the summary is stored as JSON."""

from decimal import Decimal
from typing import Any

from tasks.x12.eligibility_model import ACTIVE_CODES, INACTIVE_CODES, Benefit, EligibilityResponse

MENTAL_HEALTH_TYPES = frozenset({"MH", "A4", "A6", "A8", "CF", "CE", "CG", "CH", "30"})
FOLLOW_UP = {
    "C": "correct the data and send again",
    "N": "do not send again",
    "P": "send the original inquiry again",
    "R": "send again",
    "S": "do not send again; the payer asked a third party",
    "W": "wait 30 days, then send again",
    "X": "wait 10 days, then send again",
    "Y": "do not send again; contact the payer",
}
REASONS = {
    "15": "required data missing",
    "41": "access restricted",
    "42": "payer cannot answer now",
    "43": "invalid provider ID",
    "56": "inappropriate date",
    "57": "invalid date of service",
    "58": "invalid birth date",
    "62": "date of service outside the inquiry window",
    "63": "date of service in the future",
    "64": "invalid patient ID",
    "65": "invalid patient name",
    "67": "patient not found",
    "71": "birth date mismatch",
    "72": "invalid member ID",
    "73": "invalid subscriber name",
    "75": "subscriber not found",
    "76": "duplicate subscriber ID",
    "77": "subscriber found, patient not",
    "78": "not in this group or plan",
}


def summarize(response: EligibilityResponse) -> dict[str, Any]:
    """The mental-health benefit summary of one 271 answer (JSON-ready: strings for money).

    It reads the patient's own loop: for a dependent (2000D), the dependent's benefits, never the
    subscriber's (a parent's copay or plan status says nothing about the child's).
    """
    mh = [b for b in response.benefits if set(b.service_types) & MENTAL_HEALTH_TYPES or not b.service_types]
    return {
        "patient_level": response.patient_level,
        "active": _active(response.benefits),
        "plan_begin": response.plan_begin.isoformat() if response.plan_begin else None,
        "plan_end": response.plan_end.isoformat() if response.plan_end else None,
        "mental_health_covered": False
        if any(b.code in ("E", "I") for b in mh)
        else (True if any(b.code in ACTIVE_CODES for b in mh) else None),
        "carve_out_entity": next((b.entity_name or "another entity" for b in mh if b.code in ("U", "R", "MC")), None),
        "copay": _money(_first(mh, "B", "amount")),
        "coinsurance": _text(_first(mh, "A", "percent")),
        "deductible_remaining": _money(_first(mh, "C", "amount", time_period="29")),
        "visit_limit": _int(_first(mh, "F", "quantity", time_period="23")),
        "visits_remaining": _int(_first(mh, "F", "quantity", time_period="29")),
        "auth_required": True if any(b.auth_required == "Y" for b in mh) else None,
        "in_network": next((b.in_network == "Y" for b in mh if b.in_network), None),
        "errors": [
            {
                "code": e.code,
                "follow_up": e.follow_up,
                "loop": e.loop,
                "advice": f"{REASONS.get(e.code, 'rejected')}: {FOLLOW_UP.get(e.follow_up, 'contact the payer')}",
            }
            for e in response.errors
        ],
    }


def _active(benefits: tuple[Benefit, ...]) -> bool | None:
    codes = {b.code for b in benefits}
    if codes & ACTIVE_CODES:
        return True
    return False if codes & INACTIVE_CODES else None


def _first(benefits: list[Benefit], code: str, attr: str, time_period: str | None = None) -> Decimal | None:
    for b in benefits:
        if b.code == code and (time_period is None or b.time_period == time_period):
            value = getattr(b, attr)
            if value is not None:
                return value  # type: ignore[no-any-return]
    return None


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _text(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:f}"


def _int(value: Decimal | None) -> int | None:
    return None if value is None else int(value)
