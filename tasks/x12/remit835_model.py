"""Value objects of an 835 health care claim payment/advice (005010X221A1), and its balancing rules.

Not frozen, unlike the other X12 value objects: a nightly 835 holds tens of thousands of claim
payments and frozen dataclasses are about twice as slow to build. Treat them as read-only.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tasks.x12.claim837_model import Address
from tasks.x12.envelope import Header
from tasks.x12.values import amount

VERSION_835 = "005010X221A1"
ZERO = Decimal("0.00")


def _m(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01')):f}"


@dataclass(slots=True)
class Adjustment:
    """One CAS reason: group (CO, PR, OA, PI, CR), CARC, amount, optional quantity."""

    group: str
    reason: str
    amount: Decimal
    quantity: Decimal | None = None

    def as_json(self) -> dict[str, str]:
        """The JSON shape of an adjustment."""
        return {"group": self.group, "reason": self.reason, "amount": _m(self.amount)}


@dataclass(slots=True)
class ServicePayment:
    """2110: one service line as paid (SVC, DTM*472, CAS, REF*6R, AMT*B6, LQ*HE)."""

    procedure_code: str
    charge: Decimal
    paid: Decimal
    units: Decimal
    modifiers: tuple[str, ...] = ()
    service_date: dt.date | None = None
    line_control_number: str | None = None
    adjustments: tuple[Adjustment, ...] = ()
    remarks: tuple[str, ...] = ()
    allowed: Decimal | None = None
    service_date_end: dt.date | None = None  # DTM*151 when the line covers a range (DTM*150 the start)

    def as_json(self) -> dict[str, Any]:
        """The JSON shape of a line."""
        return {
            "procedure_code": self.procedure_code,
            "modifiers": list(self.modifiers),
            "charge": _m(self.charge),
            "paid": _m(self.paid),
            "units": amount(self.units),
            "line_control_number": self.line_control_number,
            "adjustments": [a.as_json() for a in self.adjustments],
            "remarks": list(self.remarks),
        }


@dataclass(slots=True)
class ClaimPayment:
    """2100: one CLP, the claim as adjudicated."""

    patient_control_number: str
    status_code: str
    charge: Decimal
    paid: Decimal
    patient_responsibility: Decimal
    filing_indicator: str
    payer_claim_number: str | None = None
    place_of_service: str | None = None
    frequency: str | None = None
    patient_last: str = ""
    patient_first: str = ""
    member_id: str | None = None
    adjustments: tuple[Adjustment, ...] = ()
    lines: tuple[ServicePayment, ...] = ()
    statement_start: dt.date | None = None  # DTM*232
    statement_end: dt.date | None = None  # DTM*233
    remarks: tuple[str, ...] = ()  # MOA03-07: outpatient adjudication remarks (Medicare's MA18: crossed over)

    def as_json(self) -> dict[str, Any]:
        """The JSON shape of a claim payment."""
        return {
            "patient_control_number": self.patient_control_number,
            "status_code": self.status_code,
            "charge": _m(self.charge),
            "paid": _m(self.paid),
            "patient_responsibility": _m(self.patient_responsibility),
            "payer_claim_number": self.payer_claim_number,
            "adjustments": [a.as_json() for a in self.adjustments],
            "remarks": list(self.remarks),
            "lines": [x.as_json() for x in self.lines],
        }


@dataclass(slots=True)
class ProviderAdjustment:
    """One PLB adjustment (reason code and reference), taken from or given to the payee."""

    provider_id: str
    fiscal_date: dt.date
    reason: str
    amount: Decimal
    reference: str | None = None


@dataclass(slots=True)
class Payment:
    """One 835 transaction set: a payment (BPR/TRN) from a payer to a payee and its claims.

    The payee is named by whatever IDs the payer gives, each read by its qualifier: an NPI (N1 XX),
    a tax ID (N1 FI or REF*TJ), others (N1 XV, REF*PQ ...) kept as they come.
    """

    payer_name: str
    payer_id: str
    payer_address: Address
    payer_contact_phone: str
    payee_name: str
    payee_npi: str | None
    trace_number: str
    originator: str
    payment_amount: Decimal
    payment_method: str
    payment_date: dt.date
    claims: tuple[ClaimPayment, ...] = ()
    provider_adjustments: tuple[ProviderAdjustment, ...] = ()
    payee_tax_id: str | None = None  # N1*PE FI, or REF*TJ
    payee_other_ids: tuple[tuple[str, str], ...] = ()  # (qualifier, ID): N1*PE XV, REF*PQ/0B/D3

    def as_json(self) -> dict[str, Any]:
        """The JSON shape of a payment."""
        return {
            "payer_name": self.payer_name,
            "payer_id": self.payer_id,
            "payee_npi": self.payee_npi,
            "payee_tax_id": self.payee_tax_id,
            "payee_other_ids": [{"qualifier": q, "id": value} for q, value in self.payee_other_ids],
            "trace_number": self.trace_number,
            "payment_amount": _m(self.payment_amount),
            "payment_method": self.payment_method,
            "payment_date": self.payment_date.isoformat(),
            "claims": [c.as_json() for c in self.claims],
            "provider_adjustments": [{"reason": p.reason, "amount": _m(p.amount)} for p in self.provider_adjustments],
        }

    def imbalances(self) -> list[str]:
        """Where the 835 balancing rules fail (data to report, never an exception)."""
        problems = [p for claim in self.claims for p in claim_imbalances(claim)]
        expected = sum((c.paid for c in self.claims), ZERO) - sum((p.amount for p in self.provider_adjustments), ZERO)
        if expected != self.payment_amount:
            problems.append(
                f"trace {self.trace_number}: BPR02 {_m(self.payment_amount)} != claims paid minus "
                f"provider adjustments {_m(expected)}"
            )
        return problems


def claim_imbalances(claim: ClaimPayment) -> list[str]:
    """Claim and line balancing: charge - adjustments = paid."""
    problems = []
    adjusted = sum((a.amount for a in claim.adjustments), ZERO)
    adjusted += sum((a.amount for line in claim.lines for a in line.adjustments), ZERO)
    if claim.charge - adjusted != claim.paid:
        problems.append(
            f"claim {claim.patient_control_number}: charge {_m(claim.charge)} - adjustments "
            f"{_m(adjusted)} != paid {_m(claim.paid)}"
        )
    for n, line in enumerate(claim.lines, start=1):
        line_adjusted = sum((a.amount for a in line.adjustments), ZERO)
        if line.charge - line_adjusted != line.paid:
            problems.append(
                f"claim {claim.patient_control_number} line {n}: charge {_m(line.charge)} - "
                f"adjustments {_m(line_adjusted)} != paid {_m(line.paid)}"
            )
    return problems


@dataclass(slots=True)
class Remittance:
    """An 835 interchange: one or more payments."""

    header: Header
    payments: tuple[Payment, ...]

    def as_json(self) -> dict[str, Any]:
        """The public JSON contract of a parsed 835."""
        return {"transaction": "835", "payments": [p.as_json() for p in self.payments]}

    def imbalances(self) -> list[str]:
        """Every balancing problem in every payment."""
        return [problem for payment in self.payments for problem in payment.imbalances()]
