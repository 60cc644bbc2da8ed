"""Plain factories for the rows a test needs (no bundle, no generator)."""

from datetime import date
from decimal import Decimal
from itertools import count

from sqlalchemy import Engine

from models.claims import Claim, ClaimEvent
from models.db import session_scope
from models.enums import AttendanceStatus, ClaimFrequency, ClaimStatus, Modality, SessionType
from models.patients import Coverage, Patient
from models.practice import Payer, Practice
from models.sessions import Attendance, GroupProgram, GroupSession

_serial = count(1)


def make_attendance(engine: Engine) -> dict[str, int]:
    """A practice with one payer, patient, coverage, session and attendance; returns their IDs."""
    n = next(_serial)
    with session_scope(engine) as s:
        practice = Practice(
            source_id=f"P{n}",
            name="Practice",
            npi="1234567893",
            taxonomy="261QM0801X",
            address_line1="1 Main St",
            city="Springfield",
            state="IL",
            zip_code="627011234",
        )
        s.add(practice)
        s.flush()
        payer = Payer(
            practice_id=practice.id,
            source_id="PAY",
            name="Payer",
            x12_payer_id="X1",
            claim_filing_indicator="CI",
            profile="commercial_acme",
        )
        patient = Patient(practice_id=practice.id, source_id="PAT", first_name="A", last_name="B")
        program = GroupProgram(
            practice_id=practice.id,
            source_id="PRG",
            name="Group",
            session_type=SessionType.PSYCHOTHERAPY,
            modality=Modality.IN_PERSON,
            place_of_service="11",
        )
        s.add_all([payer, patient, program])
        s.flush()
        coverage = Coverage(
            practice_id=practice.id, source_id="COV", patient_id=patient.id, payer_id=payer.id, member_id="M1"
        )
        session = GroupSession(
            practice_id=practice.id,
            source_id="S1",
            program_id=program.id,
            service_date=date(2026, 11, 20),
            place_of_service="11",
            modality=Modality.IN_PERSON,
            session_type=SessionType.PSYCHOTHERAPY,
        )
        s.add_all([coverage, session])
        s.flush()
        attendance = Attendance(session_id=session.id, patient_id=patient.id, status=AttendanceStatus.PRESENT)
        s.add(attendance)
        s.flush()
        return {
            "practice": practice.id,
            "payer": payer.id,
            "patient": patient.id,
            "coverage": coverage.id,
            "session": session.id,
            "attendance": attendance.id,
        }


def add_claim(
    engine: Engine,
    ids: dict[str, int],
    *,
    status: ClaimStatus = ClaimStatus.DRAFT,
    frequency: ClaimFrequency = ClaimFrequency.ORIGINAL,
) -> int:
    """A claim on the attendance in `ids`, already in `status` (with its first event)."""
    with session_scope(engine) as s:
        claim = Claim(
            practice_id=ids["practice"],
            attendance_id=ids["attendance"],
            session_id=ids["session"],
            patient_id=ids["patient"],
            coverage_id=ids["coverage"],
            payer_id=ids["payer"],
            service_date=date(2026, 11, 20),
            place_of_service="11",
            status=status,
            frequency=frequency,
            total_charge=Decimal("75.00"),
        )
        s.add(claim)
        s.flush()
        s.add(ClaimEvent(claim_id=claim.id, to_status=status, source="factory"))
        return claim.id


def make_claim(engine: Engine, *, status: ClaimStatus = ClaimStatus.DRAFT) -> int:
    """A claim (with everything it hangs on) in `status`; returns its ID."""
    return add_claim(engine, make_attendance(engine), status=status)
