"""Value objects of the 270 inquiry and 271 response (005010X279A1)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from tasks.x12.claim837_model import Payer, Person
from tasks.x12.envelope import Header
from tasks.x12.values import amount

VERSION_270_271 = "005010X279A1"
ACTIVE_CODES = frozenset("12345")
INACTIVE_CODES = frozenset("678")


@dataclass(frozen=True, slots=True)
class InformationReceiver:
    """2100B: the provider asking (the practice), by NPI."""

    name: str
    npi: str


@dataclass(frozen=True, slots=True)
class Inquiry:
    """One 270 question: is this member covered for this service type on this date?"""

    trace_number: str
    member_id: str | None
    subscriber: Person
    service_date: date
    service_type: str = "MH"
    dependent: Person | None = None


@dataclass(frozen=True, slots=True)
class InquiryBatch:
    """A 270 transaction: several inquiries to one payer from one provider."""

    header: Header
    reference: str
    payer: Payer
    receiver: InformationReceiver
    originator: str
    inquiries: tuple[Inquiry, ...]

    def as_json(self) -> dict[str, Any]:
        """JSON of a parsed 270 (IDs, dates and service types; no names)."""
        return {
            "transaction": "270",
            "inquiries": [
                {
                    "trace_number": i.trace_number,
                    "member_id": i.member_id,
                    "service_date": i.service_date.isoformat(),
                    "service_type": i.service_type,
                    "dependent": i.dependent is not None,
                }
                for i in self.inquiries
            ],
        }


@dataclass(frozen=True, slots=True)
class Benefit:
    """One EB segment (with its MSG lines and, for EB*U/R, the entity named in LS/LE)."""

    code: str
    service_types: tuple[str, ...] = ()
    coverage_level: str | None = None
    insurance_type: str | None = None
    plan_name: str | None = None
    time_period: str | None = None
    amount: Decimal | None = None
    percent: Decimal | None = None
    quantity_qualifier: str | None = None
    quantity: Decimal | None = None
    auth_required: str | None = None
    in_network: str | None = None
    messages: tuple[str, ...] = ()
    entity_name: str | None = None

    def as_json(self) -> dict[str, Any]:
        """The `groupbill x12 parse` JSON shape of a benefit."""
        return {
            "code": self.code,
            "service_types": list(self.service_types),
            "coverage_level": self.coverage_level,
            "time_period": self.time_period,
            "amount": _money(self.amount),
            "percent": amount(self.percent) if self.percent is not None else None,
            "quantity_qualifier": self.quantity_qualifier,
            "quantity": amount(self.quantity) if self.quantity is not None else None,
            "auth_required": _flag(self.auth_required),
            "in_network": _flag(self.in_network),
            "messages": list(self.messages),
        }


@dataclass(frozen=True, slots=True)
class RequestError:
    """An AAA segment: the payer could not answer, why, and what to do (AAA04)."""

    code: str
    follow_up: str
    loop: str

    def as_json(self) -> dict[str, str]:
        """The JSON shape of an AAA error."""
        return {"code": self.code, "follow_up": self.follow_up, "loop": self.loop}


@dataclass(frozen=True, slots=True)
class EligibilityResponse:
    """The 271 answer for one patient: the subscriber (2000C), or a dependent under them (2000D).

    `benefits` and the plan dates are the patient's own (2110D for a dependent); a dependent's
    answer keeps what the subscriber level said about the subscriber in `subscriber_benefits`.
    """

    trace_number: str
    member_id: str | None
    subscriber: Person
    dependent: Person | None = None
    plan_begin: date | None = None
    plan_end: date | None = None
    benefits: tuple[Benefit, ...] = ()
    errors: tuple[RequestError, ...] = ()
    relationship: str | None = None  # INS02 of a dependent (19 child, 01 spouse, ...)
    subscriber_benefits: tuple[Benefit, ...] = ()

    @property
    def patient_level(self) -> str:
        """Who the benefits are for: 'subscriber', or 'dependent' (2000D)."""
        return "subscriber" if self.dependent is None else "dependent"

    @property
    def plan_active(self) -> bool | None:
        """True or False when an EB01 says so (1-5 active, 6-8 inactive); None when no EB does."""
        codes = {b.code for b in self.benefits}
        if codes & INACTIVE_CODES and not codes & ACTIVE_CODES:
            return False
        return True if codes & ACTIVE_CODES else None


@dataclass(frozen=True, slots=True)
class ResponseBatch:
    """A 271 transaction: the answers of one payer to one provider."""

    header: Header
    reference: str
    payer: Payer
    receiver: InformationReceiver
    responses: tuple[EligibilityResponse, ...]
    errors: tuple[RequestError, ...] = ()

    def as_json(self) -> dict[str, Any]:
        """The public JSON contract of a parsed 271."""
        subscribers = [_response_json(r, self.errors) for r in self.responses]
        if not subscribers and self.errors:
            subscribers = [
                {
                    "member_id": None,
                    "patient_level": None,
                    "relationship": None,
                    "plan_active": None,
                    "plan_begin": None,
                    "plan_end": None,
                    "benefits": [],
                    "subscriber_benefits": [],
                    "errors": [e.as_json() for e in self.errors],
                }
            ]
        return {"transaction": "271", "subscribers": subscribers}


def _response_json(r: EligibilityResponse, batch_errors: tuple[RequestError, ...]) -> dict[str, Any]:
    return {
        "member_id": r.member_id,
        "patient_level": r.patient_level,
        "relationship": r.relationship,
        "plan_active": r.plan_active,
        "plan_begin": r.plan_begin.isoformat() if r.plan_begin else None,
        "plan_end": r.plan_end.isoformat() if r.plan_end else None,
        "benefits": [b.as_json() for b in r.benefits],
        "subscriber_benefits": [b.as_json() for b in r.subscriber_benefits],
        "errors": [e.as_json() for e in (*batch_errors, *r.errors)],
    }


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.quantize(Decimal('0.01')):f}"


def _flag(value: str | None) -> bool | None:
    return {"Y": True, "N": False}.get(value or "")
