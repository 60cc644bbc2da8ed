"""Value objects of an 837P (005010X222A1) as groupbill writes it: one CLM per attendee."""

from collections.abc import Iterable
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
    responsibility: str = "P"  # SBR01: P, S or T (the billed payer's place in the payer order)
    msp_type: str | None = None  # SBR05: the Medicare Secondary Payer type, when Medicare is billed after another


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
class Cas:
    """One adjustment exactly as a prior payer's 835 gave it: group (CO, PR, OA, PI), CARC, amount."""

    group: str
    reason: str
    amount: Decimal
    quantity: Decimal | None = None


def patient_share(adjustments: Iterable[Cas]) -> Decimal:
    """What the adjustments leave the patient: the sum of the PR (patient responsibility) group."""
    return sum((a.amount for a in adjustments if a.group == "PR"), Decimal("0.00"))


@dataclass(frozen=True, slots=True)
class LineAdjudication:
    """2430: how one prior payer adjudicated this line (SVD, the line's CAS, DTP*573)."""

    payer_id: str  # SVD01: the prior payer's ID, as in its 2330B
    paid: Decimal  # SVD02
    procedure_code: str  # SVD03, as the payer adjudicated it
    units: Decimal  # SVD05
    adjudicated_on: date  # DTP*573: the prior payer's remittance date
    modifiers: tuple[str, ...] = ()
    adjustments: tuple[Cas, ...] = ()
    remaining_liability: Decimal | None = None  # 2430 AMT*EAF: what it left the patient on this line


@dataclass(frozen=True, slots=True)
class OtherPayer:
    """2320 with 2330A/2330B: another payer of the claim, with its adjudication when it paid before this one."""

    sequence: str  # SBR01: its place in the payer order (P, S, T)
    relationship: str  # SBR02: the patient's relationship to its subscriber
    filing_indicator: str  # SBR09
    subscriber: Person  # 2330A
    member_id: str
    payer: Payer  # 2330B, with the ID its SVD01 repeats
    group_number: str | None = None
    msp_type: str | None = None  # SBR05, for Medicare paying after another payer
    adjustments: tuple[Cas, ...] = ()  # claim-level CAS of its 835
    paid: Decimal | None = None  # AMT*D (None: it has not adjudicated the claim)
    remaining_liability: Decimal | None = None  # 2320 AMT*EAF, only when its lines are not given in 2430
    remarks: tuple[str, ...] = ()  # MOA03-07: its outpatient adjudication remarks
    claim_number: str | None = None  # 2330B REF*F8: its claim number
    adjudicated_on: date | None = None  # 2330B DTP*573, when its lines are not given in 2430

    @property
    def adjudicated(self) -> bool:
        """True when this payer paid (or denied) the claim before the billed payer."""
        return self.paid is not None


@dataclass(frozen=True, slots=True)
class ServiceLine:
    """2400: LX, SV1, DTP*472 (a date or a range), REF*6R and each prior payer's 2430."""

    procedure_code: str
    charge: Decimal
    units: int
    pointers: tuple[int, ...]
    service_date: date
    control_number: str
    modifiers: tuple[str, ...] = ()
    service_date_end: date | None = None  # DTP*472*RD8: the last day of a range (service_date the first)
    adjudications: tuple[LineAdjudication, ...] = ()


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
    other_payers: tuple[OtherPayer, ...] = ()


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


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _cas_json(adjustments: tuple[Cas, ...]) -> list[dict[str, str]]:
    return [{"group": a.group, "reason": a.reason, "amount": f"{a.amount:.2f}"} for a in adjustments]


def _other_payer_json(o: OtherPayer) -> dict[str, Any]:
    return {
        "sequence": o.sequence,
        "payer_name": o.payer.name,
        "payer_id": o.payer.payer_id,
        "member_id": o.member_id,
        "relationship": o.relationship,
        "filing_indicator": o.filing_indicator,
        "claim_number": o.claim_number,
        "paid": _money(o.paid),
        "remaining_liability": _money(o.remaining_liability),
        "adjustments": _cas_json(o.adjustments),
        "remarks": list(o.remarks),
        "adjudicated_on": o.adjudicated_on.isoformat() if o.adjudicated_on else None,
    }


def _adjudication_json(a: LineAdjudication) -> dict[str, Any]:
    return {
        "payer_id": a.payer_id,
        "paid": f"{a.paid:.2f}",
        "procedure_code": a.procedure_code,
        "modifiers": list(a.modifiers),
        "units": f"{a.units.normalize():f}",
        "adjustments": _cas_json(a.adjustments),
        "remaining_liability": _money(a.remaining_liability),
        "adjudicated_on": a.adjudicated_on.isoformat(),
    }


def _claim_json(c: Claim) -> dict[str, Any]:
    return {
        "patient_control_number": c.patient_control_number,
        "charge": f"{c.charge:.2f}",
        "frequency": c.frequency,
        "place_of_service": c.place_of_service,
        "diagnoses": list(c.diagnoses),
        "payer_sequence": c.subscriber.responsibility,
        "other_payers": [_other_payer_json(o) for o in c.other_payers],
        "lines": [
            {
                "procedure_code": x.procedure_code,
                "modifiers": list(x.modifiers),
                "charge": f"{x.charge:.2f}",
                "units": str(x.units),
                "pointers": [str(p) for p in x.pointers],
                "date": x.service_date.isoformat(),
                "date_end": x.service_date_end.isoformat() if x.service_date_end else None,
                "adjudications": [_adjudication_json(a) for a in x.adjudications],
            }
            for x in c.lines
        ],
    }
