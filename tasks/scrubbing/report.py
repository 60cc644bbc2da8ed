"""Scrub results and the rule catalogue as the command line prints them (a public JSON contract)."""

from typing import Any

from sqlmodel import Session, col, select

from models.claims import Claim
from models.patients import Patient
from models.practice import Payer
from models.sessions import GroupSession
from tasks.scrubbing.engine import ruleset
from tasks.scrubbing.run import ScrubReport


def scrub_rows(session: Session, report: ScrubReport) -> list[dict[str, Any]]:
    """`[{"claim_id","session_id","patient_id","payer_id","status","findings":[{"rule","severity","message"}]}]`."""
    ids = [r.claim_id for r in report.results]
    keys = {
        claim_id: (s, p, y)
        for claim_id, s, p, y in session.exec(
            select(Claim.id, GroupSession.source_id, Patient.source_id, Payer.source_id)
            .join(GroupSession, col(Claim.session_id) == GroupSession.id)
            .join(Patient, col(Claim.patient_id) == Patient.id)
            .join(Payer, col(Claim.payer_id) == Payer.id)
            .where(col(Claim.id).in_(ids))
        )
    }
    return [
        {
            "claim_id": r.claim_id,
            "session_id": keys[r.claim_id][0],
            "patient_id": keys[r.claim_id][1],
            "payer_id": keys[r.claim_id][2],
            "status": r.status.value,
            "findings": [{"rule": f.rule_id, "severity": f.severity.value, "message": f.message} for f in r.findings],
        }
        for r in report.results
    ]


def catalogue(profile_name: str | None) -> list[dict[str, Any]]:
    """The rules in force for a profile: ID, severity, params, description, what fixes a claim it holds,
    what overrides them."""
    from config.reference_data import rule_fixes

    rules, _ = ruleset(profile_name)
    fixes = rule_fixes()
    return [
        {
            "rule": e.rule.id,
            "severity": e.severity.value,
            "params": e.params.model_dump(mode="json"),
            "description": e.rule.description,
            "fix": fixes.of(e.rule.id),
            "overridden_by": e.overridden_by,
        }
        for e in rules
    ]
