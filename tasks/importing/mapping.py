"""Bundle records to table column values (source IDs resolved to database IDs)."""

from typing import Any

from models import bundle as b

Ids = dict[str, dict[str, int]]


def _opt(ids: Ids, kind: str, source_id: str | None) -> int | None:
    return None if source_id is None else ids[kind][source_id]


def _zip(value: str) -> str:
    return value.replace("-", "")


def practice_values(r: b.PracticeRecord) -> dict[str, Any]:
    """Columns of the practice row."""
    a = r.address
    return {
        "name": r.name,
        "npi": r.npi,
        "ein": r.ein.replace("-", "") if r.ein else None,
        "taxonomy": r.taxonomy,
        "address_line1": a.line1,
        "address_line2": a.line2,
        "city": a.city,
        "state": a.state,
        "zip_code": _zip(a.zip),
        "phone": r.phone,
        "clearinghouse": r.clearinghouse,
    }


def payer_values(r: b.PayerRecord) -> dict[str, Any]:
    """Columns of a payer row."""
    return {
        "name": r.name,
        "x12_payer_id": r.x12_payer_id,
        "claim_filing_indicator": r.claim_filing_indicator,
        "profile": r.profile,
    }


def provider_values(r: b.ProviderRecord) -> dict[str, Any]:
    """Columns of a provider row."""
    return {
        "first_name": r.first_name,
        "last_name": r.last_name,
        "npi": r.npi,
        "credential": r.credential,
        "taxonomy": r.taxonomy,
    }


def patient_values(r: b.PatientRecord) -> dict[str, Any]:
    """Columns of a patient row."""
    a = r.address
    return {
        "first_name": r.first_name,
        "last_name": r.last_name,
        "birth_date": r.birth_date,
        "sex": r.sex,
        "address_line1": a.line1 if a else None,
        "city": a.city if a else None,
        "state": a.state if a else None,
        "zip_code": _zip(a.zip) if a else None,
    }


def coverage_values(r: b.CoverageRecord, patient_id: int, ids: Ids) -> dict[str, Any]:
    """Columns of a coverage row."""
    sub = r.subscriber or b.SubscriberRecord()
    return {
        "patient_id": patient_id,
        "payer_id": ids["payer"][r.payer_id],
        "member_id": r.member_id or None,
        "group_number": r.group_number,
        "relationship": r.relationship.code,
        "subscriber_first_name": sub.first_name,
        "subscriber_last_name": sub.last_name,
        "subscriber_birth_date": sub.birth_date,
        "subscriber_sex": sub.sex,
        "priority": r.priority,
        "msp_type": r.msp_type,
        "effective_date": r.effective_date,
        "termination_date": r.termination_date,
    }


def treatment_plan_values(r: b.TreatmentPlanRecord, patient_id: int) -> dict[str, Any]:
    """Columns of a treatment plan row."""
    return {
        "patient_id": patient_id,
        "start_date": r.start_date,
        "end_date": r.end_date,
        "goals": list(r.goals),
        "diagnoses": list(r.diagnoses),
    }


def program_values(r: b.ProgramRecord) -> dict[str, Any]:
    """Columns of a group program row."""
    return {
        "name": r.name,
        "session_type": r.session_type,
        "modality": r.modality,
        "place_of_service": r.place_of_service,
    }


def authorization_values(r: b.AuthorizationRecord, ids: Ids) -> dict[str, Any]:
    """Columns of an authorization row."""
    return {
        "patient_id": ids["patient"][r.patient_id],
        "payer_id": ids["payer"][r.payer_id],
        "number": r.number,
        "cpt_codes": list(r.cpt_codes),
        "unit_kind": r.unit_kind,
        "units_authorized": r.units_authorized,
        "start_date": r.start_date,
        "end_date": r.end_date,
        "rendering_provider_id": _opt(ids, "provider", r.rendering_provider_id),
        "per_week_limit": r.per_week_limit,
    }


def session_values(r: b.SessionRecord, program: b.ProgramRecord, ids: Ids) -> dict[str, Any]:
    """Columns of a group session row; unset delivery fields come from its program."""
    return {
        "program_id": ids["program"][r.program_id],
        "service_date": r.date,
        "start_time": r.start_time,
        "end_time": r.end_time,
        "place_of_service": r.place_of_service or program.place_of_service,
        "modality": r.modality or program.modality,
        "session_type": r.session_type or program.session_type,
        "status": r.status,
        "leader_id": _opt(ids, "provider", r.leader_id),
        "focus": r.focus,
        "goals": list(r.goals),
        "participant_count": r.participant_count,
    }


def attendance_values(r: b.AttendanceRecord, ids: Ids) -> dict[str, Any]:
    """Columns of an attendance row."""
    return {
        "status": r.status,
        "interactive_complexity": r.interactive_complexity,
        "interactive_complexity_factors": [f.value for f in r.interactive_complexity_factors],
        "interactive_complexity_reason": r.interactive_complexity_reason,
        "rendering_provider_id": _opt(ids, "provider", r.rendering_provider_id),
        "place_of_service": r.place_of_service,
        "modality": r.modality,
        "diagnoses": list(r.diagnoses) if r.diagnoses is not None else None,
    }


def note_values(r: b.NoteRecord, ids: Ids) -> dict[str, Any]:
    """Columns of a progress note row."""
    return {
        "author_id": _opt(ids, "provider", r.author_id),
        "signer_id": _opt(ids, "provider", r.signer_id),
        "signed_at": r.signed_at,
        "participation": r.participation,
        "response": r.response,
        "goals_addressed": list(r.goals_addressed),
        "interventions": r.interventions,
        "plan": r.plan,
    }


def other_service_values(r: b.OtherServiceRecord, ids: Ids) -> dict[str, Any]:
    """Columns of an other-service row."""
    return {
        "patient_id": ids["patient"][r.patient_id],
        "service_date": r.date,
        "cpt_code": r.cpt_code,
        "modifiers": list(r.modifiers),
        "rendering_provider_id": _opt(ids, "provider", r.rendering_provider_id),
        "start_time": r.start_time,
        "end_time": r.end_time,
    }
