"""Value objects of the 276 claim status request and 277 claim status response (005010X212).

A 276 asks a payer about claims: who sends (the information receiver, by ETIN), which provider (NPI),
which member, and per claim our trace number (TRN*1), patient control number (REF*EJ), total charge
(AMT*T3) and dates of service. The 277 answers each with STCs (category:status:entity) and, once
finalized, the amount paid and the adjudication and remittance dates. STC category families: A
acknowledgements, P pending, F finalized, R requests for information, E errors.

    STC*F1:65*20261127**75*48*20261127**20261128*SACME1000000042~
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tasks.x12.ack277_model import StatusInfo
from tasks.x12.claim837_model import Payer, Person
from tasks.x12.envelope import Header

VERSION_276_277 = "005010X212"


def _money(value: Decimal | None) -> str | None:
    return f"{value:.2f}" if value is not None else None


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


@dataclass(frozen=True, slots=True)
class Provider:
    """2100C: the provider of service asked about or answered for (NPI)."""

    name: str
    npi: str


@dataclass(frozen=True, slots=True)
class LineInquiry:
    """2210D/E: one service line asked about (SVC, REF*FJ, DTP*472)."""

    procedure_code: str
    charge: Decimal
    service_date: dt.date
    modifiers: tuple[str, ...] = ()
    units: int = 1
    line_control_number: str | None = None


@dataclass(frozen=True, slots=True)
class ClaimInquiry:
    """2200D/E: one claim asked about; `patient` is set when the patient is a dependent (2000E)."""

    trace_number: str
    patient_control_number: str
    member_id: str
    subscriber: Person
    provider: Provider
    charge: Decimal
    service_date: dt.date
    service_date_end: dt.date | None = None
    patient: Person | None = None
    payer_claim_number: str | None = None
    lines: tuple[LineInquiry, ...] = ()


@dataclass(frozen=True, slots=True)
class StatusRequest:
    """A 276 transaction: one payer, one information receiver (ETIN), its claims."""

    header: Header
    reference: str
    payer: Payer
    receiver_name: str
    receiver_id: str
    inquiries: tuple[ClaimInquiry, ...]

    def as_json(self) -> dict[str, Any]:
        """JSON of a parsed 276 (IDs, dates and amounts; no names)."""
        return {
            "transaction": "276",
            "payer_id": self.payer.payer_id,
            "claims": [
                {
                    "trace_number": i.trace_number,
                    "patient_control_number": i.patient_control_number,
                    "payer_claim_number": i.payer_claim_number,
                    "member_id": i.member_id,
                    "provider_npi": i.provider.npi,
                    "dependent": i.patient is not None,
                    "charge": f"{i.charge:.2f}",
                    "date": i.service_date.isoformat(),
                    "date_end": _day(i.service_date_end),
                    "lines": [
                        {
                            "procedure_code": x.procedure_code,
                            "modifiers": list(x.modifiers),
                            "charge": f"{x.charge:.2f}",
                            "line_control_number": x.line_control_number,
                            "date": x.service_date.isoformat(),
                        }
                        for x in i.lines
                    ],
                }
                for i in self.inquiries
            ],
        }


@dataclass(frozen=True, slots=True)
class LineStatus:
    """2220D/E: one service line's status (SVC with charge and payment, its STCs)."""

    procedure_code: str
    charge: Decimal
    paid: Decimal
    statuses: tuple[StatusInfo, ...]
    modifiers: tuple[str, ...] = ()
    units: int = 1
    line_control_number: str | None = None
    service_date: dt.date | None = None
    service_date_end: dt.date | None = None

    def as_json(self) -> dict[str, Any]:
        """The JSON shape of a line's status."""
        return {
            "procedure_code": self.procedure_code,
            "modifiers": list(self.modifiers),
            "charge": f"{self.charge:.2f}",
            "paid": f"{self.paid:.2f}",
            "line_control_number": self.line_control_number,
            "date": _day(self.service_date),
            "date_end": _day(self.service_date_end),
            "statuses": [s.as_json() for s in self.statuses],
        }


@dataclass(frozen=True, slots=True)
class ClaimStatus:
    """2200D/E: the payer's answer about one claim (TRN*2 repeats the question's trace number).

    The first status's category is the answer (A1..A8, P0..P5, F0..F4, R0..R16, E0..E4); STC05 is the
    amount paid, STC06 the adjudication date, STC08 and STC09 the remittance's date and trace number.
    """

    trace_number: str
    statuses: tuple[StatusInfo, ...]
    member_id: str
    provider: Provider
    patient_last: str
    patient_first: str
    patient_control_number: str | None = None
    payer_claim_number: str | None = None
    charge: Decimal | None = None
    paid: Decimal | None = None
    adjudicated_on: dt.date | None = None
    remitted_on: dt.date | None = None
    remittance_trace: str | None = None
    service_date: dt.date | None = None
    service_date_end: dt.date | None = None
    dependent: bool = False  # the patient is a dependent (2000E); the subscriber's name is then below
    lines: tuple[LineStatus, ...] = ()
    subscriber_last: str = ""
    subscriber_first: str = ""

    @property
    def category(self) -> str:
        """The first status's category (the answer)."""
        return self.statuses[0].category if self.statuses else ""

    def as_json(self) -> dict[str, Any]:
        """The JSON shape of one claim's status."""
        return {
            "trace_number": self.trace_number,
            "patient_control_number": self.patient_control_number,
            "payer_claim_number": self.payer_claim_number,
            "member_id": self.member_id,
            "provider_npi": self.provider.npi,
            "charge": _money(self.charge),
            "paid": _money(self.paid),
            "adjudicated_on": _day(self.adjudicated_on),
            "remitted_on": _day(self.remitted_on),
            "remittance_trace": self.remittance_trace,
            "date": _day(self.service_date),
            "date_end": _day(self.service_date_end),
            "statuses": [s.as_json() for s in self.statuses],
            "lines": [x.as_json() for x in self.lines],
        }


@dataclass(frozen=True, slots=True)
class StatusResponse:
    """A 277 claim status response: the payer, the information receiver, each claim's status."""

    header: Header
    reference: str
    payer: Payer
    receiver_name: str
    receiver_id: str
    claims: tuple[ClaimStatus, ...]

    def as_json(self) -> dict[str, Any]:
        """The public JSON contract of a parsed 277 claim status response."""
        return {
            "transaction": "277",
            "guide": VERSION_276_277,
            "payer_id": self.payer.payer_id,
            "claims": [c.as_json() for c in self.claims],
        }
