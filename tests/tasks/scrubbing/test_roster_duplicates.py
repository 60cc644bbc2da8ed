"""A patient listed twice on one roster, from the bundle to the scrub: the extra claim is held by the DUP_
rules (DUP_CLAIM when the same clinician bills it, DUP_CO_LEADER_BILLED when another one does) and the
first claim goes out."""

import json
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from models.claims import Claim, Finding
from models.enums import ClaimStatus, Severity
from models.patients import Patient
from models.sessions import Attendance, GroupSession
from tasks.scrubbing.loader import load_contexts
from tasks.synthetic import SyntheticPractice
from tests.conftest import TODAY
from tests.tasks.scrubbing.conftest import bill_bundle_data


def _clean_attendee(practice: SyntheticPractice, data: dict, program: str) -> tuple[dict, dict]:
    """A held session of `program` and a present attendee whose claim the manifest expects clean."""
    for session in data["sessions"]:
        if session["program_id"] != program or session["status"] != "held":
            continue
        for attendee in session["attendance"]:
            clean = not practice.manifest.rules_for(session["id"], attendee["patient_id"])
            if clean and attendee["status"] == "present" and "note" in attendee:
                return session, attendee
    raise AssertionError(f"no clean attendee in {program}")


def _rows(engine: Engine, session_id: str, patient_id: str) -> list[tuple[int, ClaimStatus, set[str]]]:
    """(occurrence, status, open error rules) of the patient's claims for the session, first row first."""
    with Session(engine) as s:
        claims = s.exec(
            select(Attendance.occurrence, Claim)
            .join(Claim, col(Claim.attendance_id) == Attendance.id)
            .join(GroupSession, col(Attendance.session_id) == GroupSession.id)
            .join(Patient, col(Attendance.patient_id) == Patient.id)
            .where(GroupSession.source_id == session_id, Patient.source_id == patient_id)
            .order_by(col(Attendance.occurrence))
        ).all()
        found = []
        for occurrence, claim in claims:
            errors = s.exec(
                select(Finding.rule_id).where(
                    Finding.claim_id == claim.id, col(Finding.resolved_at).is_(None), Finding.severity == Severity.ERROR
                )
            ).all()
            found.append((occurrence, claim.status, set(errors)))
    return found


def test_the_extra_claim_of_a_patient_listed_twice_is_held_and_the_first_goes_out(
    engine: Engine, practice: SyntheticPractice, bundle_data: dict, tmp_path: Path
) -> None:
    same, same_row = _clean_attendee(practice, bundle_data, "GRP-DBT")
    same["attendance"].append(json.loads(json.dumps(same_row)))  # entered twice by the same clinician
    co_led, co_led_row = _clean_attendee(practice, bundle_data, "GRP-DEP")
    assert co_led["co_leader_ids"] == ["PRV-LPC"]
    co_led["attendance"].append({**json.loads(json.dumps(co_led_row)), "rendering_provider_id": "PRV-LPC"})
    bill_bundle_data(engine, practice, bundle_data, tmp_path)
    first, second = _rows(engine, same["id"], same_row["patient_id"])
    assert first == (0, ClaimStatus.READY, set())
    assert second[:2] == (1, ClaimStatus.ON_HOLD) and "DUP_CLAIM" in second[2]
    first, second = _rows(engine, co_led["id"], co_led_row["patient_id"])
    assert first == (0, ClaimStatus.READY, set())
    assert second[:2] == (1, ClaimStatus.ON_HOLD) and "DUP_CO_LEADER_BILLED" in second[2]
    assert "DUP_CLAIM" not in second[2]
    attended = {a["patient_id"] for a in co_led["attendance"] if a["status"] in ("present", "late", "left_early")}
    with Session(engine) as s:
        claim_id = s.exec(select(Claim.id).join(GroupSession).where(GroupSession.source_id == co_led["id"])).first()
        (ctx,) = load_contexts(s, [claim_id], today=TODAY)
    assert ctx.attended_count == len(attended)  # the group's size counts the patient once
