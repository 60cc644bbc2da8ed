"""Authorizations as the command line lists them: bundle IDs, ledger balance, alerts."""

from collections import defaultdict
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from models.enums import STAYED_AWAY, SessionStatus
from models.patients import Authorization, Patient
from models.practice import Payer
from models.sessions import Attendance, GroupSession
from models.types import db_id
from tasks.preauth.accounting import balances
from tasks.preauth.alerts import alerts_for


def authorization_rows(
    session: Session, *, today: date, within_days: int = 14, low_units: int = 2
) -> list[dict[str, Any]]:
    """One row per authorization, with its balance and alerts (ending within N days, <= N units left)."""
    auths = list(session.exec(select(Authorization).order_by(col(Authorization.end_date))))
    patients = {db_id(p.id): p.source_id for p in session.exec(select(Patient))}
    payers = {db_id(p.id): p.source_id for p in session.exec(select(Payer))}
    booked = _booked(session, today)
    bals = balances(session, auths)
    rows = []
    for a in auths:
        b = bals[db_id(a.id)]
        rows.append(
            {
                "authorization_id": a.source_id,
                "patient_id": patients.get(a.patient_id),
                "payer_id": payers.get(a.payer_id),
                "number": a.number,
                "start_date": a.start_date.isoformat(),
                "end_date": a.end_date.isoformat(),
                "authorized": b.authorized,
                "reserved": b.reserved,
                "consumed": b.consumed,
                "remaining": b.remaining,
                "record_id": a.id,
                "alerts": [
                    {"kind": x.kind, "detail": x.detail}
                    for x in alerts_for(a, b, booked[a.patient_id], today, within_days=within_days, low_units=low_units)
                ],
            }
        )
    return rows


def alert_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The alerts as Prefect may show them: authorization record ID, payer, kind, detail (no patient data)."""
    return [
        {
            "authorization_record_id": r["record_id"],
            "payer_id": r["payer_id"],
            "end_date": r["end_date"],
            "remaining": r["remaining"],
            "alert": alert["kind"],
            "detail": alert["detail"],
        }
        for r in rows
        for alert in r["alerts"]
    ]


def _booked(session: Session, today: date) -> dict[int, list[date]]:
    """Future booked session dates per patient."""
    found: dict[int, list[date]] = defaultdict(list)
    rows = session.exec(
        select(col(Attendance.patient_id), col(GroupSession.service_date))
        .join(GroupSession, col(Attendance.session_id) == GroupSession.id)
        .where(
            col(GroupSession.service_date) > today,
            col(GroupSession.status) == SessionStatus.SCHEDULED,
            col(Attendance.status).not_in(STAYED_AWAY),
        )
    )
    for patient_id, day in rows:
        found[patient_id].append(day)
    return found
