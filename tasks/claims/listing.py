"""Claims and sessions as an operator sees them: with the source system's IDs."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from models.claims import Claim
from models.enums import ClaimStatus
from models.errors import InputError
from models.patients import Patient
from models.practice import Payer
from models.sessions import GroupSession


@dataclass(frozen=True)
class ClaimRow:
    """One claim with the bundle's IDs for its session, patient and payer."""

    claim_id: int
    session_id: str
    patient_id: str
    payer_id: str
    service_date: date
    status: ClaimStatus
    total_charge: Decimal
    patient_control_number: str | None

    def as_json(self) -> dict[str, str | int | None]:
        """The JSON shape of `groupbill claims list --format json`."""
        return {
            "claim_id": self.claim_id,
            "session_id": self.session_id,
            "patient_id": self.patient_id,
            "payer_id": self.payer_id,
            "service_date": self.service_date.isoformat(),
            "status": self.status.value,
            "total_charge": f"{self.total_charge:.2f}",
            "patient_control_number": self.patient_control_number,
        }


def list_claims(
    session: Session, *, status: ClaimStatus | None = None, session_ids: list[int] | None = None
) -> list[ClaimRow]:
    """Claims, optionally of one status or some sessions, in date and session order."""
    sess, pat, pay = aliased(GroupSession), aliased(Patient), aliased(Payer)
    query = (
        select(
            col(Claim.id),
            col(sess.source_id),
            col(pat.source_id),
            col(pay.source_id),
            col(Claim.service_date),
            col(Claim.status),
            col(Claim.total_charge),
            col(Claim.patient_control_number),
        )
        .join(sess, col(Claim.session_id) == sess.id)
        .join(pat, col(Claim.patient_id) == pat.id)
        .join(pay, col(Claim.payer_id) == pay.id)
        .order_by(col(Claim.service_date), sess.source_id, pat.source_id, col(Claim.id))
    )
    if status is not None:
        query = query.where(col(Claim.status) == status)
    if session_ids is not None:
        query = query.where(col(Claim.session_id).in_(session_ids))
    return [ClaimRow(*row) for row in session.execute(query)]


@dataclass(frozen=True)
class FoundSession:
    """A session found by what the user typed, and by which of its two IDs."""

    group: GroupSession
    matched: str  # "bundle ID" (the practice system's) or "record ID" (groupbill's, in events and run names)

    @property
    def record_id(self) -> int:
        """groupbill's ID of the session."""
        return self.group.id or 0

    def describe(self) -> str:
        """e.g. "session GRP-DBT-20261124 (record ID 19; found by its bundle ID)"."""
        return f"session {self.group.source_id} (record ID {self.group.id}; found by its {self.matched})"


def resolve_session(session: Session, ref: str | int) -> FoundSession:
    """The session a user or a caller names by its bundle ID or its record ID (either is accepted;
    `bundle:ID` or `record:N` settle a value that is both, naming different sessions)."""
    text = str(ref).strip()
    kind, _, value = text.partition(":") if text.startswith(("bundle:", "record:")) else ("", "", text)
    by_bundle = (
        []
        if kind == "record"
        else list(session.scalars(select(GroupSession).where(col(GroupSession.source_id) == value)))
    )
    by_record = (
        session.get(GroupSession, int(value)) if kind != "bundle" and value.isdigit() and len(value) < 19 else None
    )
    if len(by_bundle) > 1:
        raise InputError(f"session {value[:40]!r}: several practices use this bundle ID")
    if by_bundle and by_record is not None and by_bundle[0].id != by_record.id:
        raise InputError(
            f"session {value!r} is the bundle ID of record {by_bundle[0].id} and the record ID of bundle ID "
            f"{by_record.source_id!r}: say bundle:{value} or record:{value}"
        )
    if by_bundle:
        return FoundSession(by_bundle[0], "bundle ID")
    if by_record is not None:
        return FoundSession(by_record, "record ID")
    raise InputError(f"session {text[:40]!r}: no such session (neither a bundle ID nor a record ID)")


@dataclass(frozen=True)
class AttendeeRow:
    """One roster line of a session, for the local operator (carries the patient's name)."""

    patient_id: str
    name: str
    attendance: str
    note: str
    claim_id: int | None
    claim_status: ClaimStatus | None


def session_attendees(session: Session, group_session_id: int) -> list[AttendeeRow]:
    """The session's roster with each attendee's note state and live claim."""
    from models.sessions import Attendance, ProgressNote  # local: keeps this module's imports short

    query = (
        select(
            col(Patient.source_id),
            col(Patient.first_name),
            col(Patient.last_name),
            col(Attendance.status),
            col(ProgressNote.signed_at),
            col(ProgressNote.id),
            col(Claim.id),
            col(Claim.status),
        )
        .select_from(Attendance)
        .join(Patient, col(Attendance.patient_id) == Patient.id)
        .outerjoin(ProgressNote, col(ProgressNote.attendance_id) == Attendance.id)
        .outerjoin(Claim, (col(Claim.attendance_id) == Attendance.id) & (col(Claim.status) != ClaimStatus.REJECTED))
        .where(col(Attendance.session_id) == group_session_id)
        .order_by(Patient.source_id, col(Claim.id))
    )
    rows = []
    for source_id, first, last, status, signed_at, note_id, claim_id, claim_status in session.execute(query):
        note = "none" if note_id is None else ("signed" if signed_at else "unsigned")
        rows.append(AttendeeRow(source_id, f"{first} {last}", status.value, note, claim_id, claim_status))
    return rows
