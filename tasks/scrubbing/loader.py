"""Gather the contexts of a batch of claims: one query per table, whatever the batch size."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta, tzinfo
from typing import Any, TypeVar

from sqlalchemy import func
from sqlalchemy import select as sa_select  # sqlmodel's select takes at most four columns
from sqlmodel import Session, SQLModel, col, select

from config.settings import get_settings
from models.claims import Claim, ClaimLine
from models.exchange import EligibilityCheck
from models.patients import AuthLedgerEntry, Authorization, Coverage, Patient, TreatmentPlan
from models.plain import plain_rows
from models.practice import Payer, PayerEnrollment, Practice, Provider, ProviderLicense
from models.sessions import Attendance, GroupSession, OtherService, ProgressNote, SessionCoLeader
from models.types import db_id
from tasks.cob.load import load_disputes, load_priors
from tasks.preauth.ledger import holdings
from tasks.scrubbing.context import ClaimContext, OtherClaim
from tasks.scrubbing.engine import profiles
from tasks.scrubbing.rules.authorization import covering

T = TypeVar("T", bound=SQLModel)
HISTORY = timedelta(days=400)  # frequency periods and duplicates look back at most a year


def _plain_by_id(session: Session, model: type[T], ids: Iterable[int | None]) -> dict[int, T]:
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return {}
    return {db_id(r.id): r for r in plain_rows(session, model, col(model.id).in_(wanted))}  # type: ignore[attr-defined]


def _payer_claim_numbers(session: Session, claim_ids: set[int | None]) -> dict[int | None, str | None]:
    """The payer's number for each claim a replacement or void stands in for."""
    wanted = sorted(i for i in claim_ids if i is not None)
    if not wanted:
        return {}
    query = select(Claim.id, Claim.payer_claim_number).where(col(Claim.id).in_(wanted))
    return dict(session.exec(query).all())


def _grouped(rows: Iterable[T], key: str) -> dict[Any, list[T]]:
    found: dict[Any, list[T]] = defaultdict(list)
    for row in rows:
        found[getattr(row, key)].append(row)
    return found


def load_contexts(
    session: Session, claim_ids: list[int], *, today: date, zone: tzinfo | None = None
) -> list[ClaimContext]:
    """The context of each claim, in the order given; timestamps become dates in `zone` (default: the practice's)."""
    claims = _plain_by_id(session, Claim, claim_ids)
    if not claims:
        return []
    t = _Tables(session, list(claims.values()))
    zone = zone or get_settings().timezone
    contexts = [t.context(claims[i], today, zone) for i in claim_ids if i in claims]
    for ctx in contexts:
        auth = t.auths_by_id.get(ctx.claim.authorization_id) if ctx.claim.authorization_id else covering(ctx)
        ctx.authorization_number = auth.number if auth else None
    return contexts


class _Tables:
    """Every row the batch's rules read, as plain copies indexed for lookups."""

    def __init__(self, session: Session, claims: list[Claim]) -> None:
        patient_ids = {c.patient_id for c in claims}
        self._load_sessions(session, claims)
        self._load_providers(session, claims)
        self._load_patients(session, claims, patient_ids)
        first, last = min(c.service_date for c in claims), max(c.service_date for c in claims)
        services = plain_rows(
            session,
            OtherService,
            col(OtherService.patient_id).in_(patient_ids),
            col(OtherService.service_date) >= first,
            col(OtherService.service_date) <= last,
        )
        self.services = _grouped(services, "patient_id")
        self.others = _other_claims(session, patient_ids, first - HISTORY, last + HISTORY)
        self.original_numbers = _payer_claim_numbers(session, {c.original_claim_id for c in claims})
        self.priors = load_priors(session, claims)
        self.disputes = load_disputes(session, patient_ids)

    def _load_sessions(self, session: Session, claims: list[Claim]) -> None:
        """The claims' lines, attendance, sessions, notes, co-leaders and attendance counts."""
        claim_ids = [c.id for c in claims]
        lines = plain_rows(
            session, ClaimLine, col(ClaimLine.claim_id).in_(claim_ids), order_by=(ClaimLine.line_number,)
        )
        self.lines = _grouped(lines, "claim_id")
        self.attendance = _plain_by_id(session, Attendance, (c.attendance_id for c in claims))
        self.sessions = _plain_by_id(session, GroupSession, (c.session_id for c in claims))
        notes = plain_rows(session, ProgressNote, col(ProgressNote.attendance_id).in_(list(self.attendance)))
        self.notes = {n.attendance_id: n for n in notes}
        co_leaders = plain_rows(session, SessionCoLeader, col(SessionCoLeader.session_id).in_(list(self.sessions)))
        self.co_leaders = _grouped(co_leaders, "session_id")
        self.attended = _attended_counts(session, list(self.sessions))

    def _load_providers(self, session: Session, claims: list[Claim]) -> None:
        """The billing practices, payers, rendering and leading providers, licences and enrollments."""
        self.payers = _plain_by_id(session, Payer, (c.payer_id for c in claims))
        self.practices = _plain_by_id(session, Practice, (c.practice_id for c in claims))
        provider_ids = {c.rendering_provider_id for c in claims} | {s.leader_id for s in self.sessions.values()}
        self.providers = _plain_by_id(session, Provider, provider_ids)
        licenses = plain_rows(session, ProviderLicense, col(ProviderLicense.provider_id).in_(list(self.providers)))
        self.licenses = _grouped(licenses, "provider_id")
        enrollments = plain_rows(session, PayerEnrollment, col(PayerEnrollment.provider_id).in_(list(self.providers)))
        self.enrollments = _grouped(enrollments, "provider_id")

    def _load_patients(self, session: Session, claims: list[Claim], patient_ids: set[int]) -> None:
        """The patients, their coverages, plans, authorizations and eligibility checks."""
        self.patients = _plain_by_id(session, Patient, patient_ids)
        coverages = plain_rows(session, Coverage, col(Coverage.patient_id).in_(patient_ids))
        self.coverages = _grouped(coverages, "patient_id")
        self.coverage_payers = _plain_by_id(session, Payer, {c.payer_id for c in coverages})
        plans = plain_rows(session, TreatmentPlan, col(TreatmentPlan.patient_id).in_(patient_ids))
        self.plans = _grouped(plans, "patient_id")
        auths = plain_rows(session, Authorization, col(Authorization.patient_id).in_(patient_ids))
        self.auths, self.auths_by_id = _grouped(auths, "patient_id"), {db_id(a.id): a for a in auths}
        self.holdings = _ledger_holdings(session, list(self.auths_by_id))
        checks = plain_rows(  # the rules read the stored summary, never the raw 271
            session,
            EligibilityCheck,
            col(EligibilityCheck.coverage_id).in_([c.coverage_id for c in claims]),
            leave=frozenset({"raw_271"}),
        )
        self.checks = _grouped(checks, "coverage_id")

    def context(self, claim: Claim, today: date, zone: tzinfo) -> ClaimContext:
        """One claim's context (plain copies: coding changes the claim's and lines' copies, and the scrub
        writes those changes itself)."""
        group_session = self.sessions[claim.session_id]
        attendance = self.attendance[claim.attendance_id]
        payer = self.payers[claim.payer_id]
        rendering = self.providers.get(claim.rendering_provider_id) if claim.rendering_provider_id else None
        coverages = self.coverages[claim.patient_id]
        check = _latest_check(self.checks.get(claim.coverage_id, []), claim.service_date)
        return ClaimContext(
            claim=claim,
            lines=self.lines[db_id(claim.id)],
            session=group_session,
            attendance=attendance,
            note=self.notes.get(db_id(attendance.id)),
            patient=self.patients[claim.patient_id],
            coverage=next(c for c in coverages if c.id == claim.coverage_id),
            payer=payer,
            profile=profiles().get(payer.profile),
            practice=self.practices[claim.practice_id],
            rendering=rendering,
            today=today,
            zone=zone,
            licenses=self.licenses.get(claim.rendering_provider_id, []),
            enrollments=self.enrollments.get(claim.rendering_provider_id, []),
            leader_ids=_leaders(group_session, self.co_leaders.get(group_session.id, [])),
            plans=self.plans.get(claim.patient_id, []),
            coverages=coverages,
            authorizations=self.auths.get(claim.patient_id, []),
            auth_holdings={
                db_id(a.id): self.holdings.get(db_id(a.id), {}) for a in self.auths.get(claim.patient_id, [])
            },
            eligibility=check,
            other_services=self.services.get(claim.patient_id, []),
            # a replacement or void stands in for the claim it replaces, and the other payers' claims of this
            # attendance bill the same service: none of them is "another" claim
            other_claims=[
                o
                for o in self.others.get(claim.patient_id, [])
                if o.claim_id not in (claim.id, claim.original_claim_id) and o.attendance_id != claim.attendance_id
            ],
            attended_count=self.attended.get(db_id(group_session.id), 0),
            original_payer_claim_number=self.original_numbers.get(claim.original_claim_id)
            if claim.original_claim_id
            else None,
            payers={p: self.coverage_payers[p] for p in {c.payer_id for c in coverages} if p in self.coverage_payers},
            priors=self.priors.get(db_id(claim.id), {}),
            disputes=self.disputes.get(claim.patient_id, []),
        )


def _ledger_holdings(session: Session, auth_ids: list[int]) -> dict[int, dict[int, int]]:
    """Per authorization, the units each claim holds (reserved or consumed) after replaying its ledger."""
    if not auth_ids:
        return {}
    criteria = col(AuthLedgerEntry.authorization_id).in_(auth_ids)
    entries = _grouped(
        plain_rows(session, AuthLedgerEntry, criteria, order_by=(AuthLedgerEntry.id,)), "authorization_id"
    )
    return {auth_id: {c: h.units for c, h in holdings(rows).items()} for auth_id, rows in entries.items()}


def _leaders(group_session: GroupSession, co_leaders: list[SessionCoLeader]) -> frozenset[int]:
    """Who led the session: its leader and co-leaders."""
    ids = {c.provider_id for c in co_leaders}
    if group_session.leader_id is not None:
        ids.add(group_session.leader_id)
    return frozenset(ids)


def _latest_check(checks: list[EligibilityCheck], day: date) -> EligibilityCheck | None:
    """The check for this date of service if there is one, else the one nearest to it; newest first."""
    if not checks:
        return None
    return min(checks, key=lambda c: (abs((c.service_date - day).days), -c.checked_at.timestamp()))


def _attended_counts(session: Session, session_ids: list[int]) -> dict[int, int]:
    """Patients who attended each session (a patient listed twice on a roster is one participant)."""
    from tasks.claims.drafting import ATTENDED

    query = (
        select(Attendance.session_id, func.count(func.distinct(Attendance.patient_id)))
        .where(col(Attendance.session_id).in_(session_ids), col(Attendance.status).in_(ATTENDED))
        .group_by(col(Attendance.session_id))
    )
    return dict(session.exec(query).all())


_OTHER_CLAIM_COLUMNS: list[Any] = [
    col(column)
    for column in (
        Claim.id,
        Claim.patient_id,
        Claim.session_id,
        Claim.payer_id,
        Coverage.member_id,
        Claim.service_date,
        Claim.status,
        Claim.rendering_provider_id,
        Claim.practice_id,
        GroupSession.start_time,
        GroupSession.end_time,
        Claim.attendance_id,
    )
]


def _other_claims(session: Session, patient_ids: set[int], start: date, end: date) -> dict[int, list[OtherClaim]]:
    """The patients' claims around these dates (columns only: no mapped claim or line is built)."""
    rows = (
        session.connection()
        .execute(
            sa_select(*_OTHER_CLAIM_COLUMNS)
            .join(Coverage, col(Claim.coverage_id) == Coverage.id)
            .join(GroupSession, col(Claim.session_id) == GroupSession.id)
            .where(
                col(Claim.patient_id).in_(patient_ids), col(Claim.service_date) >= start, col(Claim.service_date) <= end
            )
        )
        .all()
    )
    codes: dict[int, list[tuple[str, tuple[str, ...], int]]] = defaultdict(list)
    lines = select(ClaimLine.claim_id, ClaimLine.cpt_code, ClaimLine.modifiers, ClaimLine.units).where(
        col(ClaimLine.claim_id).in_([row[0] for row in rows])
    )
    for claim_id, cpt, modifiers, units in session.exec(lines.order_by(col(ClaimLine.line_number))):
        codes[claim_id].append((cpt, tuple(modifiers), units))
    found: dict[int, list[OtherClaim]] = defaultdict(list)
    for claim_id, patient_id, session_id, payer_id, member_id, day, status, rendering, practice, *rest in rows:
        begins, ends, attendance_id = rest
        found[patient_id].append(
            OtherClaim(
                claim_id,
                session_id,
                payer_id,
                member_id,
                day,
                status,
                rendering,
                practice,
                tuple(codes[claim_id]),
                begins,
                ends,
                attendance_id,
            )
        )
    return found
