"""Which coverages and dates a set of sessions needs verified: every attendee on the roster
(booked or present), with the primary coverage the practice has in force on that day."""

from datetime import date, timedelta
from typing import Any

from sqlmodel import Session, col, select

from models.enums import STAYED_AWAY, SessionStatus
from models.exchange import EligibilityCheck
from models.patients import Coverage
from models.sessions import Attendance, GroupSession
from models.types import db_id
from tasks.claims.drafting import primary_coverage


def sessions_between(session: Session, start: date, end: date) -> list[int]:
    """Sessions scheduled or held between two dates (inclusive), in date order."""
    query = (
        select(GroupSession.id)
        .where(
            col(GroupSession.service_date) >= start,
            col(GroupSession.service_date) <= end,
            col(GroupSession.status) != SessionStatus.CANCELLED,
        )
        .order_by(col(GroupSession.service_date), col(GroupSession.id))
    )
    return [db_id(i) for i in session.exec(query)]


def upcoming_sessions(session: Session, today: date, days: int = 3) -> list[int]:
    """Sessions in the next `days` days (the daily eligibility sweep)."""
    return sessions_between(session, today + timedelta(days=1), today + timedelta(days=days))


def future_sessions(session: Session, session_ids: list[int], today: date) -> list[tuple[int, date]]:
    """Of these sessions, those still scheduled for today or later: (session, date)."""
    query = (
        select(col(GroupSession.id), col(GroupSession.service_date))
        .where(
            col(GroupSession.id).in_(session_ids),
            col(GroupSession.service_date) >= today,
            col(GroupSession.status) == SessionStatus.SCHEDULED,
        )
        .order_by(col(GroupSession.service_date), col(GroupSession.id))
    )
    return [(db_id(sid), day) for sid, day in session.exec(query)]


def roster_coverage_dates(session: Session, session_ids: list[int]) -> dict[int, tuple[int, date] | None]:
    """For every attendance of these sessions (not absent): its (coverage, date), or None without coverage."""
    rows = session.exec(
        select(Attendance, col(GroupSession.service_date))
        .join(GroupSession, col(Attendance.session_id) == GroupSession.id)
        .where(col(Attendance.session_id).in_(session_ids), col(Attendance.status).not_in(STAYED_AWAY))
    ).all()
    coverages: dict[int, list[Coverage]] = {}
    for coverage in session.exec(select(Coverage).where(col(Coverage.patient_id).in_({a.patient_id for a, _ in rows}))):
        coverages.setdefault(coverage.patient_id, []).append(coverage)
    found: dict[int, tuple[int, date] | None] = {}
    for attendance, day in rows:
        chosen = primary_coverage(coverages.get(attendance.patient_id, []), day)
        found[db_id(attendance.id)] = (db_id(chosen.id), day) if chosen else None
    return found


def eligibility_rows(session: Session, session_id: int) -> list[dict[str, Any]]:
    """One row per attendee of a session: record IDs and the latest check's meaning (no patient data)."""
    pairs = roster_coverage_dates(session, [session_id])
    checks = {}
    wanted = {p for p in pairs.values() if p}
    for check in session.exec(
        select(EligibilityCheck)
        .where(col(EligibilityCheck.coverage_id).in_({c for c, _ in wanted}))
        .order_by(col(EligibilityCheck.checked_at))
    ):
        if (check.coverage_id, check.service_date) in wanted:
            checks[(check.coverage_id, check.service_date)] = check
    rows = []
    for attendance_id, pair in sorted(pairs.items()):
        latest = checks.get(pair) if pair else None
        summary = latest.summary if latest else {}
        problem = (
            "no coverage in force"
            if pair is None
            else "not checked"
            if latest is None
            else "; ".join(e["advice"] for e in summary.get("errors", []))
            or ("inactive" if summary.get("active") is False else "")
        )
        rows.append(
            {
                "attendance_id": attendance_id,
                "coverage_id": pair[0] if pair else None,
                "status": latest.outcome if latest else "unchecked",
                "copay": summary.get("copay"),
                "auth_required": summary.get("auth_required"),
                "problem": problem,
            }
        )
    return rows
