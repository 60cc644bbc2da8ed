"""A patient listed twice on one roster, from the bundle to the scrub: the extra claim is held by the DUP_
rules (DUP_CLAIM when the same clinician bills it, DUP_CO_LEADER_BILLED when another one does) and the
first claim goes out."""

import json
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from config.fees import load_fee_schedule
from models.claims import Claim, Finding
from models.db import session_scope
from models.enums import ClaimStatus, Severity
from models.patients import Patient
from models.sessions import Attendance, GroupSession
from tasks.claims.drafting import draft_claims
from tasks.clearinghouse.sandbox.simulator import SandboxClearinghouse
from tasks.eligibility.check import claim_coverage_dates, run_checks
from tasks.importing import import_bundle, load_bundle
from tasks.scrubbing.engine import profiles
from tasks.scrubbing.loader import load_contexts
from tasks.scrubbing.run import scrub_claims, scrubbable_claims
from tasks.synthetic import SyntheticPractice
from tasks.synthetic.generate import install_roster
from tests.conftest import TODAY
from tests.tasks.scrubbing.conftest import NOW


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
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle_data))
    sandbox = SandboxClearinghouse.from_folder(install_roster(practice, tmp_path / "sandbox").parent)
    with session_scope(engine) as s:
        report = import_bundle(s, load_bundle(path))
        draft_claims(s, report.practice_id, load_fee_schedule(), source="test")
        ids = scrubbable_claims(s)
        run_checks(s, sandbox, claim_coverage_dates(s, ids), profiles=profiles(), now=NOW)
        scrub_claims(s, ids, today=TODAY, source="test")
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
