"""The scrubber counts authorization units as the ledger does: only claims holding a reservation or a
consumption use them, so the scrubber and `groupbill auths list` never disagree."""

from datetime import date
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from models.claims import Claim, Finding
from models.enums import ClaimStatus
from models.patients import Patient
from models.sessions import GroupSession
from tasks.preauth.report import authorization_rows
from tasks.synthetic import SyntheticPractice
from tests.conftest import TODAY
from tests.tasks.scrubbing.conftest import bill_bundle_data


def _clean_patient_with_an_authorization(practice: SyntheticPractice, data: dict) -> tuple[str, list[dict]]:
    """A patient whose payer wants authorization, with at least two held sessions all expected clean."""
    authorized = {a["patient_id"] for a in data["authorizations"]}
    for patient in sorted(authorized):
        rows = [
            (s, a)
            for s in sorted(data["sessions"], key=lambda s: s["date"])
            if s["status"] == "held" and s["date"] >= "2026-11-01"
            for a in s["attendance"]
            if a["patient_id"] == patient and a["status"] in ("present", "late", "left_early")
        ]
        if len(rows) >= 2 and not any(practice.manifest.rules_for(s["id"], patient) for s, _ in rows):
            return patient, [a for _, a in rows]
    raise AssertionError("no clean authorized patient with two sessions")


def test_a_held_claim_uses_no_units_and_the_scrubber_agrees_with_the_ledger(
    engine: Engine, practice: SyntheticPractice, bundle_data: dict, tmp_path: Path
) -> None:
    patient, rows = _clean_patient_with_an_authorization(practice, bundle_data)
    authorization = next(a for a in bundle_data["authorizations"] if a["patient_id"] == patient)
    authorization["units_authorized"] = 1
    del rows[0]["note"]  # the earlier claim is held for its missing note
    bill_bundle_data(engine, practice, bundle_data, tmp_path)
    with Session(engine) as s:
        claims = s.exec(
            select(Claim)
            .join(Patient, col(Claim.patient_id) == Patient.id)
            .join(GroupSession, col(Claim.session_id) == GroupSession.id)
            .where(Patient.source_id == patient, GroupSession.service_date >= date(2026, 11, 1))
            .order_by(col(Claim.service_date), col(Claim.id))
        ).all()
        rules = {c.id: {f.rule_id for f in s.exec(select(Finding).where(Finding.claim_id == c.id))} for c in claims}
        listed = next(r for r in authorization_rows(s, today=TODAY) if r["authorization_id"] == authorization["id"])
    held, clean, *later = claims
    assert held.status is ClaimStatus.ON_HOLD and rules[held.id] == {"DOC_NOTE_MISSING"}
    assert clean.status is ClaimStatus.READY and rules[clean.id] == set()
    assert (listed["reserved"], listed["consumed"], listed["remaining"]) == (1, 0, 0)
    assert all(c.status is ClaimStatus.ON_HOLD and "AUTH_EXHAUSTED" in rules[c.id] for c in later)
