"""Renew an authorization with a 278: build the request from what the practice knows, and turn the
payer's answer into an authorization (certified, partly certified, modified) or a plain outcome
(not certified, pended). The trace number names the authorization being renewed."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, select

from models.errors import InputError
from models.patients import Authorization, Coverage, Patient
from models.practice import Payer, Practice, Provider
from tasks.preauth.editing import save_authorization
from tasks.submission.build837 import x12_text
from tasks.x12.auth278 import ACTIONS, CERTIFIED, Review, write_278
from tasks.x12.claim837_model import Person
from tasks.x12.envelope import Header

TRACE_PREFIX = "GBAUTH"


@dataclass(frozen=True, slots=True)
class RenewalOutcome:
    """What a 278 response did: the action in words and the authorization it created or updated."""

    action: str
    meaning: str
    authorization_id: str | None


def renewal_request(
    session: Session, auth_source_id: str, *, visits: int, days: int, submitter_id: str, control: int, now: datetime
) -> str:
    """The 278 renewal request for an authorization: the next `days` after it ends, `visits` visits.

    `now` is the practice's local time (Settings.now()): its date is the earliest day the renewal starts."""
    auth = _auth(session, auth_source_id)
    patient, payer = session.get(Patient, auth.patient_id), session.get(Payer, auth.payer_id)
    practice = session.get(Practice, auth.practice_id)
    coverage = session.exec(
        select(Coverage).where(Coverage.patient_id == auth.patient_id, Coverage.payer_id == auth.payer_id)
    ).first()
    if patient is None or payer is None or practice is None or coverage is None or not coverage.member_id:
        raise InputError(f"authorization {auth_source_id}: the patient has no coverage with a member ID at this payer")
    provider = session.get(Provider, auth.rendering_provider_id) if auth.rendering_provider_id else None
    start = max(auth.end_date + timedelta(days=1), now.date())
    review = Review(
        Header(submitter_id, payer.x12_payer_id, control, now.replace(tzinfo=None)),
        f"RENEW{auth.id}",
        x12_text(payer.name),
        payer.x12_payer_id,
        x12_text(practice.name),
        practice.npi,
        _subscriber(patient, coverage),
        coverage.member_id,
        f"{TRACE_PREFIX}{auth.id}",
        "R",
        "MH",
        "11",
        auth.cpt_codes[0] if auth.cpt_codes else "90853",
        start,
        start + timedelta(days=days - 1),
        visits,
        provider.npi if provider else None,
    )
    return write_278(review)


def apply_response(session: Session, review: Review) -> RenewalOutcome:
    """Record a 278 response: a certification becomes an authorization (once per certification number)."""
    decision = review.decision
    if decision is None:
        raise InputError("278: this is a request, not a response (no HCR segment)")
    meaning = ACTIONS[decision.action]
    if decision.action not in CERTIFIED:
        return RenewalOutcome(decision.action, meaning, None)
    if not decision.certification_number:
        raise InputError("278: HCR02 certification number missing on a certification")
    renewed = _auth_by_trace(session, review.trace_number)
    source_id = f"AUTH-278-{decision.certification_number}"
    known = session.exec(select(Authorization).where(Authorization.source_id == source_id)).first()
    fields = _renewal_fields(session, renewed, review, source_id)
    saved = save_authorization(session, fields, existing_id=source_id if known else None)
    return RenewalOutcome(decision.action, meaning, saved.source_id)


def _renewal_fields(session: Session, renewed: Authorization, review: Review, source_id: str) -> dict[str, Any]:
    """The new authorization: the renewed one's patient, payer, codes and provider, the payer's dates and visits."""
    decision = review.decision
    assert decision is not None
    patient, payer = session.get(Patient, renewed.patient_id), session.get(Payer, renewed.payer_id)
    provider = session.get(Provider, renewed.rendering_provider_id) if renewed.rendering_provider_id else None
    return {
        "id": source_id,
        "patient_id": patient.source_id if patient else "",
        "payer_id": payer.source_id if payer else "",
        "number": decision.certification_number,
        "cpt_codes": list(renewed.cpt_codes) or [review.procedure],
        "unit_kind": renewed.unit_kind,
        "units_authorized": decision.approved if decision.approved is not None else review.visits,
        "start_date": decision.start or review.start,
        "end_date": decision.end or review.end,
        "rendering_provider_id": provider.source_id if provider else None,
        "per_week_limit": renewed.per_week_limit,
    }


def _auth(session: Session, source_id: str) -> Authorization:
    found = session.exec(select(Authorization).where(Authorization.source_id == source_id)).first()
    if found is None:
        raise InputError(f"authorization {source_id!r}: no such authorization")
    return found


def _auth_by_trace(session: Session, trace: str) -> Authorization:
    """The authorization a response renews, named by our trace number (TRN02)."""
    number = trace.removeprefix(TRACE_PREFIX)
    found = session.get(Authorization, int(number)) if trace.startswith(TRACE_PREFIX) and number.isdigit() else None
    if found is None:
        raise InputError(f"278: trace number {trace!r} names no authorization of ours")
    return found


def _subscriber(patient: Patient, coverage: Coverage) -> Person:
    """The subscriber as the payer knows them (the patient unless the coverage says otherwise)."""
    if coverage.subscriber_last_name:
        return Person(
            x12_text(coverage.subscriber_last_name),
            x12_text(coverage.subscriber_first_name, 35),
            coverage.subscriber_birth_date,
            coverage.subscriber_sex.value if coverage.subscriber_sex else None,
        )
    return Person(
        x12_text(patient.last_name),
        x12_text(patient.first_name, 35),
        patient.birth_date,
        patient.sex.value if patient.sex else None,
    )
