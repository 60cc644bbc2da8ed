"""A clean claim context built in memory (no database): every rule passes on it; a test changes
one thing and expects exactly the rule about that thing to fire."""

from datetime import UTC, date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from models.claims import Claim, ClaimLine
from models.enums import AttendanceStatus, ClaimStatus, Credential, Modality, Relationship, SessionType, Sex, UnitKind
from models.exchange import EligibilityCheck
from models.patients import Authorization, Coverage, Patient, TreatmentPlan
from models.practice import Payer, PayerEnrollment, Practice, Provider, ProviderLicense
from models.sessions import Attendance, GroupSession, ProgressNote
from tasks.scrubbing.context import ClaimContext, OtherClaim
from tasks.scrubbing.engine import profiles

DOS = date(2026, 11, 24)
TODAY = date(2026, 11, 27)
ZONE = ZoneInfo("America/New_York")  # the practice's
LEADER, CO_LEADER, PAYER, PATIENT = 11, 12, 21, 31


def summary(**changes: object) -> dict:
    """An eligibility summary of an active plan with mental-health benefits."""
    base = {
        "active": True,
        "plan_begin": "2026-01-01",
        "plan_end": None,
        "mental_health_covered": True,
        "carve_out_entity": None,
        "copay": "20.00",
        "coinsurance": None,
        "deductible_remaining": None,
        "visit_limit": None,
        "visits_remaining": None,
        "auth_required": None,
        "in_network": True,
        "errors": [],
    }
    return {**base, **changes}


def context(profile: str = "medicare_part_b", **overrides: object) -> ClaimContext:
    """A clean context for one 90853 claim; keyword arguments replace whole fields."""
    claim = Claim(
        id=100,
        practice_id=1,
        attendance_id=5,
        session_id=7,
        patient_id=PATIENT,
        coverage_id=41,
        payer_id=PAYER,
        rendering_provider_id=LEADER,
        service_date=DOS,
        patient_control_number="GB0000000100",
        status=ClaimStatus.DRAFT,
        place_of_service="11",
        diagnoses=["F33.1", "F41.1"],
        total_charge=Decimal("75.00"),
    )
    fields: dict[str, object] = {
        "claim": claim,
        "lines": [
            ClaimLine(
                id=1,
                claim_id=100,
                line_number=1,
                cpt_code="90853",
                units=1,
                charge=Decimal("75.00"),
                diagnosis_pointers=[1, 2],
                line_control_number="GB0000000100L1",
            )
        ],
        "session": GroupSession(
            id=7,
            practice_id=1,
            source_id="S7",
            program_id=1,
            service_date=DOS,
            start_time=time(10),
            end_time=time(11, 30),
            place_of_service="11",
            modality=Modality.IN_PERSON,
            session_type=SessionType.PSYCHOTHERAPY,
            leader_id=LEADER,
            focus="Interpersonal effectiveness",
            participant_count=6,
        ),
        "attendance": Attendance(id=5, session_id=7, patient_id=PATIENT, status=AttendanceStatus.PRESENT),
        "note": ProgressNote(
            id=9,
            attendance_id=5,
            author_id=LEADER,
            signer_id=LEADER,
            signed_at=datetime(2026, 11, 24, 20, tzinfo=UTC),
            participation="Practised DEAR MAN with a peer about a conflict at work.",
            response="Engaged; named when to use the skill.",
            goals_addressed=["Goal 1"],
        ),
        "patient": Patient(
            id=PATIENT,
            practice_id=1,
            source_id="P31",
            first_name="Jane",
            last_name="Doe",
            birth_date=date(1950, 1, 1),
            sex=Sex.FEMALE,
        ),
        "coverage": Coverage(
            id=41,
            practice_id=1,
            source_id="C41",
            patient_id=PATIENT,
            payer_id=PAYER,
            member_id="1EG4TE5MK72",
            relationship=Relationship.SELF,
            priority=1,
        ),
        "payer": Payer(
            id=PAYER,
            practice_id=1,
            source_id="PAY",
            name="Payer",
            x12_payer_id="SPAY01",
            claim_filing_indicator="MB",
            profile=profile,
        ),
        "profile": profiles()[profile],
        "practice": Practice(
            id=1,
            source_id="PR",
            name="Practice",
            npi="1234567893",
            ein="371234567",
            taxonomy="261QM0801X",
            address_line1="400 River Rd",
            city="Springfield",
            state="IL",
            zip_code="627011234",
        ),
        "rendering": Provider(
            id=LEADER,
            practice_id=1,
            source_id="L",
            first_name="Alex",
            last_name="Smith",
            npi="1987654328",
            credential=Credential.LCSW,
            taxonomy="1041C0700X",
        ),
        "today": TODAY,
        "zone": ZONE,
        "licenses": [ProviderLicense(id=1, provider_id=LEADER, state="IL", number="1", valid_from=date(2015, 1, 1))],
        "enrollments": [PayerEnrollment(id=1, provider_id=LEADER, payer_id=PAYER, valid_from=date(2019, 1, 1))],
        "leader_ids": frozenset({LEADER}),
        "plans": [
            TreatmentPlan(
                id=1,
                practice_id=1,
                source_id="T",
                patient_id=PATIENT,
                start_date=date(2026, 6, 1),
                end_date=date(2027, 5, 31),
                goals=["Goal 1"],
                diagnoses=["F33.1"],
            )
        ],
        "eligibility": EligibilityCheck(
            id=1,
            coverage_id=41,
            service_date=DOS,
            outcome="active",
            checked_at=datetime(2026, 11, 20, tzinfo=UTC),
            summary=summary(),
        ),
        "attended_count": 6,
    }
    fields["coverages"] = [fields["coverage"]]
    fields.update(overrides)
    return ClaimContext(**fields)  # type: ignore[arg-type]


def other(
    claim_id: int = 90,
    *,
    day: date = DOS,
    codes=(("90853", (), 1),),
    status: ClaimStatus = ClaimStatus.SUBMITTED,
    rendering: int = LEADER,
    session_id: int = 8,
    start: time | None = time(14),
    end: time | None = time(15),
    member_id: str = "1EG4TE5MK72",
    payer_id: int = PAYER,
) -> OtherClaim:
    """Another claim of the same patient."""
    return OtherClaim(claim_id, session_id, payer_id, member_id, day, status, rendering, 1, tuple(codes), start, end)


def auth(**changes: object) -> Authorization:
    """An authorization for 90853 around the date of service."""
    fields = {
        "id": 1,
        "practice_id": 1,
        "source_id": "A1",
        "patient_id": PATIENT,
        "payer_id": PAYER,
        "number": "PA123",
        "cpt_codes": ["90853"],
        "unit_kind": UnitKind.UNITS,
        "units_authorized": 10,
        "start_date": date(2026, 9, 1),
        "end_date": date(2026, 12, 31),
    }
    fields.update(changes)
    return Authorization(**fields)
