"""Add or change an authorization by hand (a payer's letter arrives): validated like an import."""

from typing import Any

from pydantic import ValidationError
from sqlmodel import Session, select

from models.bundle import AuthorizationRecord
from models.errors import InputError
from models.patients import Authorization, Patient
from models.practice import Payer, Provider
from models.types import db_id
from tasks.importing.mapping import authorization_values
from tasks.importing.problems import problem_lines


def save_authorization(session: Session, fields: dict[str, Any], *, existing_id: str | None = None) -> Authorization:
    """Create (existing_id None) or update an authorization; problems are one line each, nothing written."""
    current = _find(session, existing_id) if existing_id else None
    merged = {**(_as_record(session, current) if current else {}), **{k: v for k, v in fields.items() if v is not None}}
    merged.setdefault("id", existing_id or f"AUTH-{merged.get('number', '')}")
    try:
        record = AuthorizationRecord.model_validate(merged)
    except ValidationError as exc:
        raise InputError(problem_lines(exc, "authorization")) from None
    if record.end_date < record.start_date:
        raise InputError("authorization: end date is before start date")
    patient = _one(session, Patient, record.patient_id, "patient")
    ids = {
        "patient": {record.patient_id: db_id(patient.id)},
        "payer": {record.payer_id: db_id(_one(session, Payer, record.payer_id, "payer", patient.practice_id).id)},
        "provider": {},
    }
    if record.rendering_provider_id:
        provider = _one(session, Provider, record.rendering_provider_id, "provider", patient.practice_id)
        ids["provider"][record.rendering_provider_id] = db_id(provider.id)
    values = authorization_values(record, ids)
    row = current or Authorization(practice_id=patient.practice_id, source_id=record.id, **values)
    for name, value in values.items():
        setattr(row, name, value)
    session.add(row)
    session.flush()
    return row


def _find(session: Session, source_id: str) -> Authorization:
    found = session.exec(select(Authorization).where(Authorization.source_id == source_id)).first()
    if found is None:
        raise InputError(f"authorization {source_id!r}: no such authorization")
    return found


def _as_record(session: Session, auth: Authorization) -> dict[str, Any]:
    patient, payer = session.get(Patient, auth.patient_id), session.get(Payer, auth.payer_id)
    provider = session.get(Provider, auth.rendering_provider_id) if auth.rendering_provider_id else None
    return {
        "id": auth.source_id,
        "patient_id": patient.source_id if patient else "",
        "number": auth.number,
        "payer_id": payer.source_id if payer else "",
        "cpt_codes": list(auth.cpt_codes),
        "unit_kind": auth.unit_kind,
        "units_authorized": auth.units_authorized,
        "start_date": auth.start_date,
        "end_date": auth.end_date,
        "rendering_provider_id": provider.source_id if provider else None,
        "per_week_limit": auth.per_week_limit,
    }


def _one(session: Session, model: type, source_id: str, kind: str, practice_id: int | None = None) -> Any:
    query: Any = select(model).where(model.source_id == source_id)  # type: ignore[attr-defined]
    if practice_id is not None:
        query = query.where(model.practice_id == practice_id)  # type: ignore[attr-defined]
    rows = session.exec(query).all()
    if len(rows) != 1:
        raise InputError(f"authorization: {kind} {source_id!r} {'not found' if not rows else 'is ambiguous'}")
    return rows[0]
