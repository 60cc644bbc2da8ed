"""A group session's billing picture, rolled up from its attendees' claims."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlmodel import Session, col

from models.claims import Claim
from models.enums import AttendanceStatus, ClaimStatus, SessionStatus
from models.sessions import Attendance, GroupProgram, GroupSession

_STAGES = (  # the first stage any claim is in names the session's state
    ({ClaimStatus.ON_HOLD}, "needs attention"),
    ({ClaimStatus.DRAFT, ClaimStatus.READY}, "to bill"),
    ({ClaimStatus.SUBMITTING, ClaimStatus.SUBMITTED, ClaimStatus.ACCEPTED}, "awaiting payer"),
    ({ClaimStatus.DENIED}, "denials to work"),
)


@dataclass
class SessionRollup:
    """One session: roster, attendance and its claims counted by status."""

    session_id: int
    source_id: str
    program: str
    service_date: date
    session_status: SessionStatus
    roster: int = 0
    attended: int = 0
    claims: Counter[ClaimStatus] = field(default_factory=Counter)

    @property
    def state(self) -> str:
        """A word for where the session's billing stands."""
        if self.session_status is not SessionStatus.HELD:
            return self.session_status.value
        if not self.claims:
            return "not billed" if self.attended else "nothing to bill"
        for statuses, label in _STAGES:
            if any(self.claims[s] for s in statuses):
                return label
        return "closed"


def session_rollups(
    session: Session,
    *,
    session_ids: list[int] | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> list[SessionRollup]:
    """Roll-ups for the chosen sessions, in date order (three queries, whatever the count)."""
    query = select(
        col(GroupSession.id),
        col(GroupSession.source_id),
        col(GroupProgram.source_id),
        col(GroupSession.service_date),
        col(GroupSession.status),
    ).join(GroupProgram, col(GroupSession.program_id) == GroupProgram.id)
    if session_ids is not None:
        query = query.where(col(GroupSession.id).in_(session_ids))
    if date_from is not None:
        query = query.where(col(GroupSession.service_date) >= date_from)
    if date_to is not None:
        query = query.where(col(GroupSession.service_date) <= date_to)
    rows = session.execute(query.order_by(col(GroupSession.service_date), col(GroupSession.source_id))).all()
    rollups = {r[0]: SessionRollup(r[0], r[1], r[2], r[3], SessionStatus(r[4])) for r in rows}
    _count_attendance(session, rollups)
    _count_claims(session, rollups)
    return list(rollups.values())


def _count_attendance(session: Session, rollups: dict[int, SessionRollup]) -> None:
    query = (
        select(col(Attendance.session_id), col(Attendance.status), func.count())
        .where(col(Attendance.session_id).in_(list(rollups)))
        .group_by(col(Attendance.session_id), col(Attendance.status))
    )
    for session_id, status, count in session.execute(query):
        rollups[session_id].roster += count
        if AttendanceStatus(status).attended:
            rollups[session_id].attended += count


def _count_claims(session: Session, rollups: dict[int, SessionRollup]) -> None:
    query = (
        select(col(Claim.session_id), col(Claim.status), func.count())
        .where(col(Claim.session_id).in_(list(rollups)))
        .group_by(col(Claim.session_id), col(Claim.status))
    )
    for session_id, status, count in session.execute(query):
        rollups[session_id].claims[ClaimStatus(status)] += count
