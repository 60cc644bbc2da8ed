"""Value objects of a 277CA claim acknowledgment (005010X214).

A 277CA tells, claim by claim, whether the front door (clearinghouse or payer) accepted the claim
into adjudication (A1/A2) or rejected it (A3, A6, A7, A8, ...), and gives the payer's claim number.
One STC carries up to three statuses (STC01, STC10, STC11); a claim's service lines (2220D) may
carry their own.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tasks.x12.envelope import Header

VERSION_277CA = "005010X214"
ACCEPTED_CATEGORIES = frozenset({"A1", "A2", "A5"})


@dataclass(frozen=True, slots=True)
class StatusInfo:
    """One status of an STC: category:status:entity, with the STC's date, action code and amount."""

    category: str
    status: str
    entity: str | None = None
    date: dt.date | None = None
    action: str | None = None
    amount: Decimal | None = None

    def as_json(self) -> dict[str, Any]:
        """The JSON shape of a status."""
        return {
            "category": self.category,
            "status": self.status,
            "entity": self.entity,
            "action": self.action,
            "amount": f"{self.amount:.2f}" if self.amount is not None else None,
            "date": self.date.isoformat() if self.date else None,
        }


@dataclass(frozen=True, slots=True)
class LineAck:
    """2220D: one service line's acknowledgment (SVC, its statuses, REF*FJ, DTP*472)."""

    procedure_code: str
    charge: Decimal
    statuses: tuple[StatusInfo, ...]
    modifiers: tuple[str, ...] = ()
    line_control_number: str | None = None
    service_date: dt.date | None = None
    service_date_end: dt.date | None = None

    def as_json(self) -> dict[str, Any]:
        """The JSON shape of a line acknowledgment."""
        return {
            "procedure_code": self.procedure_code,
            "modifiers": list(self.modifiers),
            "charge": f"{self.charge:.2f}",
            "line_control_number": self.line_control_number,
            "date": self.service_date.isoformat() if self.service_date else None,
            "date_end": self.service_date_end.isoformat() if self.service_date_end else None,
            "statuses": [s.as_json() for s in self.statuses],
        }


@dataclass(frozen=True, slots=True)
class ClaimAck:
    """2200D: one claim's acknowledgment (TRN*2 = our patient control number)."""

    patient_control_number: str
    statuses: tuple[StatusInfo, ...]
    billing_name: str
    billing_npi: str
    patient_last: str
    patient_first: str
    member_id: str | None = None
    payer_claim_number: str | None = None
    service_date: dt.date | None = None
    lines: tuple[LineAck, ...] = ()
    service_date_end: dt.date | None = None

    @property
    def accepted(self) -> bool:
        """True when the first status's category accepts the claim for adjudication."""
        return bool(self.statuses) and self.statuses[0].category in ACCEPTED_CATEGORIES

    def as_json(self) -> dict[str, Any]:
        """The JSON shape of a claim acknowledgment."""
        return {
            "patient_control_number": self.patient_control_number,
            "payer_claim_number": self.payer_claim_number,
            "statuses": [s.as_json() for s in self.statuses],
            "lines": [line.as_json() for line in self.lines],
        }


@dataclass(frozen=True, slots=True)
class Ack277:
    """A 277CA transaction: who acknowledges, for which submitter, and each claim."""

    header: Header
    reference: str
    source_name: str
    source_id: str
    submitter_name: str
    submitter_id: str
    received: dt.date
    claims: tuple[ClaimAck, ...]

    def as_json(self) -> dict[str, Any]:
        """The public JSON contract of a parsed 277CA."""
        return {"transaction": "277", "claims": [c.as_json() for c in self.claims]}
