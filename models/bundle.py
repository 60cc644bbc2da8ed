"""The practice bundle: what an EHR or practice system exports for groupbill to import.

Structure is checked here; billing quality is not. A missing member ID, an unsigned note or a
malformed NPI imports fine and is caught by the scrubber (RULES.md), where a biller can fix it.
Published as JSON Schema by `groupbill schema bundle`.

Two things come from the caller as validation context, because models/ reads no settings or config
(tasks/importing/load.py passes both):
- `zone`: timestamps may come without a UTC offset, as many EHRs export them; they are the practice's
  wall clock, read in this time zone. Without it such a timestamp is refused.
- `licence_titles`: a clinician's credential may be a state licence title (LCPC, LISW, ...); it stands
  for the credential family this map names. Without it only the families themselves are accepted.
"""

import datetime as dt
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, ValidationInfo

from models.enums import (
    AttendanceStatus,
    Credential,
    InteractiveComplexityFactor,
    Modality,
    Relationship,
    SessionStatus,
    SessionType,
    Sex,
    UnitKind,
)

SourceId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]
State = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
PlaceOfService = Annotated[str, StringConstraints(pattern=r"^[0-9]{2}$")]
CptCode = Annotated[str, StringConstraints(pattern=r"^[0-9]{4}[0-9A-Z]$")]
Modifier = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4)]
MspType = Annotated[str, StringConstraints(pattern=r"^[0-9]{2}$")]
DiagnosisCode = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=8)]


def _in_practice_zone(value: dt.datetime, info: ValidationInfo) -> dt.datetime:
    """A timestamp without an offset is the practice's wall clock (an hour the autumn change repeats: its first)."""
    if value.tzinfo is not None:
        return value
    zone = (info.context or {}).get("zone")
    if not isinstance(zone, dt.tzinfo):
        raise ValueError("timestamp has no UTC offset and no practice time zone was given to read it in")
    return value.replace(tzinfo=zone)


Timestamp = Annotated[
    dt.datetime,
    AfterValidator(_in_practice_zone),
    Field(
        description="ISO 8601 date and time, with a UTC offset (2026-11-21T15:20:00-06:00) or without one "
        "(2026-11-21T15:20:00): then it is the practice's local time, read in the time zone "
        "GROUPBILL_PRACTICE_TIMEZONE names (default America/New_York)."
    ),
]


def _credential_family(value: object, info: ValidationInfo) -> object:
    """A state licence title stands for its credential family; anything else must be a family itself."""
    titles = (info.context or {}).get("licence_titles") or {}
    if not isinstance(value, str) or value in {c.value for c in Credential}:
        return value
    if value in titles:
        return titles[value]
    known = ", ".join([c.value for c in Credential] + sorted(titles))
    raise ValueError(f"unknown credential or licence title {value!r}; known: {known}")


CredentialName = Annotated[
    Credential,
    BeforeValidator(_credential_family),
    Field(
        description="The clinician's credential (MD, LCSW, LPC, ...) or a state licence title that groupbill maps "
        "to one (LCPC and LPCC are LPC; LISW is LCSW; LCMHC is LMHC; LCADC is LADC; `groupbill schema bundle` lists "
        "them). It is stored as the credential family."
    ),
]


class RelationshipName(StrEnum):
    """The patient's relationship to the subscriber, as the bundle spells it."""

    SELF = "self"
    SPOUSE = "spouse"
    CHILD = "child"
    OTHER = "other"

    @property
    def code(self) -> Relationship:
        """The X12 individual relationship code."""
        return Relationship[self.name]


class Record(BaseModel):
    """Every bundle record refuses unknown fields, so a typo is an error, not lost data."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Address(Record):
    line1: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=55)]
    line2: Annotated[str, StringConstraints(strip_whitespace=True, max_length=55)] | None = None
    city: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=30)]
    state: State
    zip: Annotated[str, StringConstraints(pattern=r"^[0-9]{5}(-?[0-9]{4})?$")]


class PracticeRecord(Record):
    id: SourceId
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
    npi: Annotated[str, StringConstraints(strip_whitespace=True, max_length=15)]
    ein: Annotated[str, StringConstraints(pattern=r"^[0-9]{2}-?[0-9]{7}$")] | None = None
    taxonomy: Annotated[str, StringConstraints(strip_whitespace=True, max_length=10)]
    address: Address
    phone: Annotated[str, StringConstraints(max_length=20)] | None = None
    clearinghouse: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,23}$")] | None = Field(
        None,
        description="The clearinghouse connection this practice bills through (GROUPBILL_CLEARINGHOUSES_FILE); "
        "default: `default`, the one the settings describe.",
    )


class PayerRecord(Record):
    id: SourceId
    name: Name
    x12_payer_id: Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=80)]
    claim_filing_indicator: Annotated[str, StringConstraints(pattern=r"^[0-9A-Z]{2}$")]
    profile: Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]{1,64}$")]


class LicenseRecord(Record):
    state: State
    number: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
    valid_from: dt.date
    valid_to: dt.date | None = None


class EnrollmentRecord(Record):
    payer_id: SourceId
    valid_from: dt.date
    valid_to: dt.date | None = None


class ProviderRecord(Record):
    id: SourceId
    first_name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=35)]
    last_name: Name
    npi: Annotated[str, StringConstraints(strip_whitespace=True, max_length=15)]
    credential: CredentialName
    taxonomy: Annotated[str, StringConstraints(strip_whitespace=True, max_length=10)]
    licenses: list[LicenseRecord] = Field(default_factory=list)
    enrollments: list[EnrollmentRecord] = Field(default_factory=list)


class SubscriberRecord(Record):
    first_name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=35)] | None = None
    last_name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=60)] | None = None
    birth_date: dt.date | None = None
    sex: Sex | None = None


class CoverageRecord(Record):
    id: SourceId
    payer_id: SourceId
    member_id: Annotated[str, StringConstraints(strip_whitespace=True, max_length=80)] | None = None
    group_number: Annotated[str, StringConstraints(strip_whitespace=True, max_length=50)] | None = None
    relationship: RelationshipName = RelationshipName.SELF
    subscriber: SubscriberRecord | None = None
    priority: Annotated[
        int,
        Field(
            ge=1,
            le=3,
            description="The payer order: on each date of service the coverages in force that day pay lowest "
            "priority first (primary, then secondary, then tertiary), so a coverage that ends moves the next one "
            "up. Medicaid pays last. A claim goes to the primary; the secondary's claim is made from the primary's "
            "835, the tertiary's from the secondary's.",
        ),
    ] = 1
    msp_type: MspType | None = Field(
        None,
        description="For a Medicare coverage that pays after another one: the Medicare Secondary Payer type "
        "(SBR05), e.g. 12 working aged with employer group coverage, 13 end-stage renal disease, 14 no-fault, "
        "15 workers' compensation, 43 disability with a large group plan, 47 liability.",
    )
    effective_date: dt.date | None = None
    termination_date: dt.date | None = None


class TreatmentPlanRecord(Record):
    id: SourceId
    start_date: dt.date
    end_date: dt.date | None = None
    goals: list[Text] = Field(default_factory=list)
    diagnoses: list[DiagnosisCode] = Field(default_factory=list, max_length=12)


class PatientRecord(Record):
    id: SourceId
    first_name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=35)]
    last_name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=60)]
    birth_date: dt.date | None = None
    sex: Sex | None = None
    address: Address | None = None
    coverages: list[CoverageRecord] = Field(default_factory=list)
    treatment_plans: list[TreatmentPlanRecord] = Field(default_factory=list)


class AuthorizationRecord(Record):
    id: SourceId
    patient_id: SourceId
    payer_id: SourceId
    number: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)]
    cpt_codes: list[CptCode] = Field(min_length=1)
    unit_kind: UnitKind = UnitKind.UNITS
    units_authorized: Annotated[int, Field(ge=0, le=10_000)]
    start_date: dt.date
    end_date: dt.date
    rendering_provider_id: SourceId | None = None
    per_week_limit: Annotated[int, Field(ge=1, le=50)] | None = None


class ProgramRecord(Record):
    id: SourceId
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
    session_type: SessionType = SessionType.PSYCHOTHERAPY
    modality: Modality = Modality.IN_PERSON
    place_of_service: PlaceOfService = "11"


class NoteRecord(Record):
    author_id: SourceId | None = None
    signer_id: SourceId | None = None
    signed_at: Timestamp | None = None
    participation: Text | None = None
    response: Text | None = None
    goals_addressed: list[Text] = Field(default_factory=list)
    interventions: Text | None = None
    plan: Text | None = None


class AttendanceRecord(Record):
    patient_id: SourceId
    status: AttendanceStatus
    interactive_complexity: bool = False
    interactive_complexity_factors: list[InteractiveComplexityFactor] = Field(
        default_factory=list,
        max_length=4,
        description="Which of the four CPT interactive-complexity factors this attendee's session had; 90785 "
        "(interactive_complexity) needs at least one. communication_barrier means play equipment, devices or an "
        "interpreter were needed to overcome it: interpretation or translation alone does not qualify.",
    )
    interactive_complexity_reason: Text | None = None
    rendering_provider_id: SourceId | None = None
    place_of_service: PlaceOfService | None = None
    modality: Modality | None = None
    diagnoses: list[DiagnosisCode] | None = Field(default=None, max_length=12)
    note: NoteRecord | None = None


class SessionRecord(Record):
    id: SourceId
    program_id: SourceId
    date: dt.date
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    place_of_service: PlaceOfService | None = None
    modality: Modality | None = None
    session_type: SessionType | None = None
    status: SessionStatus = SessionStatus.HELD
    leader_id: SourceId | None = None
    co_leader_ids: list[SourceId] = Field(default_factory=list)
    focus: Text | None = None
    goals: list[Text] = Field(default_factory=list)
    participant_count: Annotated[int, Field(ge=0, le=500)] | None = None
    attendance: list[AttendanceRecord] = Field(default_factory=list)


class OtherServiceRecord(Record):
    id: SourceId
    patient_id: SourceId
    date: dt.date
    cpt_code: CptCode
    modifiers: list[Modifier] = Field(default_factory=list)
    rendering_provider_id: SourceId | None = None
    start_time: dt.time | None = None
    end_time: dt.time | None = None


class Bundle(Record):
    """A practice's export: reference data, rosters, attendance and notes."""

    format_version: Literal[1] = 1
    source_system: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
    exported_at: Timestamp | None = None
    practice: PracticeRecord
    payers: list[PayerRecord] = Field(default_factory=list)
    providers: list[ProviderRecord] = Field(default_factory=list)
    patients: list[PatientRecord] = Field(default_factory=list)
    authorizations: list[AuthorizationRecord] = Field(default_factory=list)
    programs: list[ProgramRecord] = Field(default_factory=list)
    sessions: list[SessionRecord] = Field(default_factory=list)
    other_services: list[OtherServiceRecord] = Field(default_factory=list)
