"""Value objects of an 837P (005010X222A1) as groupbill writes it: one CLM per attendee."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from tasks.x12.envelope import Header

VERSION_837P = "005010X222A1"


@dataclass(frozen=True, slots=True)
class Address:
    """N3/N4: street, city, state, ZIP (5 or 9 digits)."""

    line1: str
    city: str
    state: str
    zip_code: str
    line2: str | None = None


@dataclass(frozen=True, slots=True)
class Submitter:
    """1000A: who sends the file (ETIN), with a contact."""

    name: str
    etin: str
    contact_name: str
    phone: str


@dataclass(frozen=True, slots=True)
class Receiver:
    """1000B: the clearinghouse that receives the file."""

    name: str
    etin: str


@dataclass(frozen=True, slots=True)
class BillingProvider:
    """2000A/2010AA: the practice (PRV*BI taxonomy, NPI, street address, EIN)."""

    name: str
    npi: str
    ein: str
    taxonomy: str
    address: Address


@dataclass(frozen=True, slots=True)
class Person:
    """A subscriber or patient (NM1, N3/N4, DMG)."""

    last_name: str
    first_name: str
    birth_date: date | None = None
    sex: str | None = None
    address: Address | None = None


@dataclass(frozen=True, slots=True)
class Payer:
    """2010BB: the payer and its X12 payer ID."""

    name: str
    payer_id: str


@dataclass(frozen=True, slots=True)
class Subscriber:
    """2000B/2010BA: the insured, their member ID, plan and payer."""

    member_id: str
    person: Person
    payer: Payer
    filing_indicator: str
    group_number: str | None = None
    responsibility: str = "P"


@dataclass(frozen=True, slots=True)
class Dependent:
    """2000C/2010CA: the patient when they are not the subscriber (PAT01 relationship code)."""

    relationship: str
    person: Person


@dataclass(frozen=True, slots=True)
class Rendering:
    """2310B: the clinician who led the group (PRV*PE taxonomy)."""

    last_name: str
    first_name: str
    npi: str
    taxonomy: str


@dataclass(frozen=True, slots=True)
class ServiceLine:
    """2400: LX, SV1, DTP*472 (a date or a range) and REF*6R."""

    procedure_code: str
    charge: Decimal
    units: int
    pointers: tuple[int, ...]
    service_date: date
    control_number: str
    modifiers: tuple[str, ...] = ()
    service_date_end: date | None = None  # DTP*472*RD8: the last day of a range (service_date the first)


@dataclass(frozen=True, slots=True)
class Claim:
    """2300: one attendee's claim for one group session."""

    patient_control_number: str
    charge: Decimal
    place_of_service: str
    frequency: str
    diagnoses: tuple[str, ...]
    lines: tuple[ServiceLine, ...]
    billing: BillingProvider
    subscriber: Subscriber
    patient: Dependent | None = None
    rendering: Rendering | None = None
    prior_authorization: str | None = None
    payer_claim_number: str | None = None


@dataclass(frozen=True, slots=True)
class Batch:
    """One 837P interchange: envelope, submitter, receiver and its claims."""

    header: Header
    submitter: Submitter
    receiver: Receiver
    reference: str
    claims: tuple[Claim, ...] = field(default_factory=tuple)

    def as_json(self) -> dict[str, Any]:
        """The public JSON contract of a parsed 837P."""
        return {"transaction": "837", "claims": [_claim_json(c) for c in self.claims]}


def _claim_json(c: Claim) -> dict[str, Any]:
    return {
        "patient_control_number": c.patient_control_number,
        "charge": f"{c.charge:.2f}",
        "frequency": c.frequency,
        "place_of_service": c.place_of_service,
        "diagnoses": list(c.diagnoses),
        "lines": [
            {
                "procedure_code": x.procedure_code,
                "modifiers": list(x.modifiers),
                "charge": f"{x.charge:.2f}",
                "units": str(x.units),
                "pointers": [str(p) for p in x.pointers],
                "date": x.service_date.isoformat(),
                "date_end": x.service_date_end.isoformat() if x.service_date_end else None,
            }
            for x in c.lines
        ],
    }
