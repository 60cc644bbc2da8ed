"""Draft claims from attendance: one claim per attendee present at a held psychotherapy session.

Drafting only records what happened; whether a claim may go out is the scrubber's decision.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from config.fees import FeeSchedule
from models.claims import Claim, ClaimEvent, ClaimLine
from models.clock import utcnow
from models.db import insert_returning_ids, insert_rows
from models.enums import AttendanceStatus, ClaimFrequency, ClaimStatus, PayerSequence, SessionStatus
from models.patients import Coverage, TreatmentPlan
from models.plain import plain_rows
from models.sessions import Attendance, GroupSession
from models.types import db_id
from tasks.cob.order import order_ids, payer_order

GROUP_PSYCHOTHERAPY = "90853"
INTERACTIVE_COMPLEXITY = "90785"
ATTENDED = tuple(s for s in AttendanceStatus if s.attended)
CHUNK = 2000


@dataclass
class DraftReport:
    """Counts of what drafting found (IDs and counts only)."""

    created: int = 0
    already_drafted: int = 0
    no_coverage: int = 0
    charges: Decimal = Decimal("0.00")  # of the claims created


def patient_control_number(claim_id: int) -> str:
    """CLM01 for a claim: unique, at most 20 characters, and never reused."""
    return f"GB{claim_id:010d}"


def draft_claims(
    session: Session,
    practice_id: int,
    fees: FeeSchedule,
    *,
    source: str,
    date_from: date | None = None,
    date_to: date | None = None,
) -> DraftReport:
    """Create the missing draft claims for attended, held sessions in the date range (in chunks, so
    memory does not grow with the number of claims)."""
    report = DraftReport()
    pending = _undrafted_attendance(session, practice_id, date_from, date_to, report)
    for start in range(0, len(pending), CHUNK):
        report.created += _draft_chunk(session, pending[start : start + CHUNK], fees, source, report)
    return report


def _draft_chunk(
    session: Session, attendance_ids: list[int], fees: FeeSchedule, source: str, report: DraftReport
) -> int:
    """Draft the claims of these attendances; how many were drafted."""
    # plain rows, not mapped objects: drafting only reads them (attendance_ids come in billing order)
    attendances = plain_rows(session, Attendance, col(Attendance.id).in_(attendance_ids))
    by_id = {a.id: a for a in attendances}
    session_ids = {a.session_id for a in attendances}
    sessions = {s.id: s for s in plain_rows(session, GroupSession, col(GroupSession.id).in_(session_ids))}
    pending = [(by_id[i], sessions[by_id[i].session_id]) for i in attendance_ids if i in by_id]
    coverages = _coverages_by_patient(session, {a.patient_id for a, _ in pending})
    plans = _plans_by_patient(session, {a.patient_id for a, _ in pending})
    new_claims: list[tuple[dict[str, Any], list[_LineSpec]]] = []
    for attendance, group_session in pending:
        order = payer_order(coverages[attendance.patient_id], group_session.service_date)
        if not order:
            report.no_coverage += 1
            continue
        diagnoses = _diagnoses(attendance, plans[attendance.patient_id], group_session.service_date)
        claim, lines = _claim(attendance, group_session, order[0], diagnoses, fees)
        new_claims.append((claim | {"coverage_order": order_ids(order)}, lines))
    _insert(session, new_claims, source)
    report.charges += sum((claim["total_charge"] for claim, _ in new_claims), Decimal("0.00"))
    return len(new_claims)


def _undrafted_attendance(
    session: Session, practice_id: int, date_from: date | None, date_to: date | None, report: DraftReport
) -> list[int]:
    """Attended, held attendances with no original claim to their primary payer yet (IDs, in date order);
    the secondary's and tertiary's claims are made from the prior payer's 835 (tasks/cob), not here."""
    query = (
        select(Attendance.id, Claim.id)
        .join(GroupSession, col(Attendance.session_id) == GroupSession.id)
        .outerjoin(
            Claim,
            # A rejected original still counts: ops fix the data and resend it explicitly
            # (`groupbill claims resend`), so a rejection is never resent unchanged every night.
            (col(Claim.attendance_id) == Attendance.id)
            & (col(Claim.frequency) == ClaimFrequency.ORIGINAL)
            & (col(Claim.payer_sequence) == PayerSequence.PRIMARY),
        )
        .where(
            GroupSession.practice_id == practice_id,
            GroupSession.status == SessionStatus.HELD,
            col(Attendance.status).in_(ATTENDED),
        )
        .order_by(col(GroupSession.service_date), col(GroupSession.id), col(Attendance.id))
    )
    if date_from is not None:
        query = query.where(GroupSession.service_date >= date_from)
    if date_to is not None:
        query = query.where(GroupSession.service_date <= date_to)
    pending, drafted = [], set()
    for attendance_id, claim_id in session.exec(query):
        if claim_id is None:
            pending.append(db_id(attendance_id))
        else:
            drafted.add(attendance_id)  # once, however many primary claims (a CARC 22 rebill is a second)
    report.already_drafted += len(drafted)
    return pending


def _coverages_by_patient(session: Session, patient_ids: set[int]) -> dict[int, list[Coverage]]:
    found: dict[int, list[Coverage]] = defaultdict(list)
    for coverage in plain_rows(session, Coverage, col(Coverage.patient_id).in_(patient_ids)):
        found[coverage.patient_id].append(coverage)
    return found


def _plans_by_patient(session: Session, patient_ids: set[int]) -> dict[int, list[TreatmentPlan]]:
    found: dict[int, list[TreatmentPlan]] = defaultdict(list)
    for plan in plain_rows(session, TreatmentPlan, col(TreatmentPlan.patient_id).in_(patient_ids)):
        found[plan.patient_id].append(plan)
    return found


def primary_coverage(coverages: list[Coverage], day: date) -> Coverage | None:
    """The highest-priority coverage the practice's records show in force on `day`."""
    order = payer_order(coverages, day)
    return order[0] if order else None


def _diagnoses(attendance: Attendance, plans: list[TreatmentPlan], day: date) -> list[str]:
    """The attendee's own diagnoses for the session, else the plan in force (else the latest plan)."""
    if attendance.diagnoses:
        return list(attendance.diagnoses)
    in_force = [p for p in plans if p.in_force(day)]
    chosen = in_force or sorted(plans, key=lambda p: p.start_date)[-1:]
    return list(chosen[0].diagnoses) if chosen else []


@dataclass(frozen=True)
class _LineSpec:
    cpt_code: str
    charge: Decimal
    pointers: list[int]


def _claim(
    attendance: Attendance, group_session: GroupSession, coverage: Coverage, diagnoses: list[str], fees: FeeSchedule
) -> tuple[dict[str, Any], list[_LineSpec]]:
    """The new claim's columns (a plain row for a bulk insert) and its lines."""
    pointers = list(range(1, min(len(diagnoses), 4) + 1))
    codes = [GROUP_PSYCHOTHERAPY] + ([INTERACTIVE_COMPLEXITY] if attendance.interactive_complexity else [])
    lines = [_LineSpec(code, fees.charge(code), pointers) for code in codes]
    claim = {
        "practice_id": group_session.practice_id,
        "attendance_id": db_id(attendance.id),
        "session_id": db_id(group_session.id),
        "patient_id": attendance.patient_id,
        "coverage_id": db_id(coverage.id),
        "payer_id": coverage.payer_id,
        "rendering_provider_id": attendance.rendering_provider_id or group_session.leader_id,
        "service_date": group_session.service_date,
        "frequency": ClaimFrequency.ORIGINAL,
        "status": ClaimStatus.DRAFT,
        "place_of_service": attendance.place_of_service or group_session.place_of_service,
        "diagnoses": diagnoses,
        "total_charge": sum((line.charge for line in lines), Decimal("0.00")),
    }
    return claim, lines


def _insert(session: Session, new_claims: list[tuple[dict[str, Any], list[_LineSpec]]], source: str) -> None:
    """Insert claims, then their control numbers, lines and first events, now that the claims have IDs.

    Plain multi-row inserts, not ORM objects: building a model object per row was most of the cost.
    """
    if not new_claims:
        return
    now = utcnow()
    rows = [claim | {"created_at": now, "status_changed_at": now} for claim, _ in new_claims]
    ids = insert_returning_ids(session, Claim, rows)
    session.execute(update(Claim), [{"id": i, "patient_control_number": patient_control_number(i)} for i in ids])
    lines = [
        {
            "claim_id": claim_id,
            "line_number": n,
            "cpt_code": line.cpt_code,
            "modifiers": [],
            "units": 1,
            "charge": line.charge,
            "diagnosis_pointers": line.pointers,
            "line_control_number": f"{patient_control_number(claim_id)}L{n}",
        }
        for claim_id, (_, specs) in zip(ids, new_claims, strict=True)
        for n, line in enumerate(specs, start=1)
    ]
    insert_rows(session, ClaimLine, lines)
    insert_rows(session, ClaimEvent, [_drafted_event(claim_id, now, source) for claim_id in ids])


def _drafted_event(claim_id: int, now: datetime, source: str) -> dict[str, Any]:
    return {
        "claim_id": claim_id,
        "from_status": None,
        "to_status": ClaimStatus.DRAFT,
        "occurred_at": now,
        "source": source,
        "reason": "drafted from attendance",
        "rule_ids": [],
        "details": {},
    }
