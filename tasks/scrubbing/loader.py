"""Gather the contexts of a batch of claims: one query per table, whatever the batch size."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any, TypeVar

from sqlalchemy import func
from sqlalchemy.orm import defer
from sqlmodel import Session, SQLModel, col, select

from models.claims import Claim, ClaimLine
from models.exchange import EligibilityCheck
from models.patients import Authorization, Coverage, Patient, TreatmentPlan
from models.practice import Payer, PayerEnrollment, Practice, Provider, ProviderLicense
from models.sessions import Attendance, GroupSession, OtherService, ProgressNote, SessionCoLeader
from models.types import db_id
from tasks.scrubbing.context import ClaimContext, OtherClaim
from tasks.scrubbing.engine import profiles
from tasks.scrubbing.plain import PlainCache
from tasks.scrubbing.rules.authorization import covering

T = TypeVar("T", bound=SQLModel)
HISTORY = timedelta(days=400)  # frequency periods and duplicates look back at most a year


def _by_id(session: Session, model: type[T], ids: Iterable[int | None]) -> dict[int, T]:
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return {}
    return {db_id(r.id): r for r in session.exec(select(model).where(col(model.id).in_(wanted)))}  # type: ignore[attr-defined]


def _grouped(rows: Iterable[T], key: str) -> dict[Any, list[T]]:
    found: dict[Any, list[T]] = defaultdict(list)
    for row in rows:
        found[getattr(row, key)].append(row)
    return found


def load_contexts(session: Session, claim_ids: list[int], *, today: date) -> list[ClaimContext]:
    """The context of each claim, in the order given."""
    claims = _by_id(session, Claim, claim_ids)
    if not claims:
        return []
    t = _Tables(session, list(claims.values()))
    contexts = [t.context(claims[i], today) for i in claim_ids if i in claims]
    for ctx in contexts:
        auth = t.auths_by_id.get(ctx.claim.authorization_id) if ctx.claim.authorization_id else covering(ctx)
        ctx.authorization_number = auth.number if auth else None
    return contexts


class _Tables:
    """Every row the batch's rules read, indexed for lookups."""

    def __init__(self, session: Session, claims: list[Claim]) -> None:
        patient_ids = {c.patient_id for c in claims}
        self.lines = _grouped(
            session.exec(
                select(ClaimLine)
                .where(col(ClaimLine.claim_id).in_([c.id for c in claims]))
                .order_by(col(ClaimLine.line_number))
            ),
            "claim_id",
        )
        self.attendance = _by_id(session, Attendance, (c.attendance_id for c in claims))
        self.sessions = _by_id(session, GroupSession, (c.session_id for c in claims))
        self.notes = {
            n.attendance_id: n
            for n in session.exec(
                select(ProgressNote).where(col(ProgressNote.attendance_id).in_(list(self.attendance)))
            )
        }
        self.patients = _by_id(session, Patient, patient_ids)
        self.coverages = _grouped(
            session.exec(select(Coverage).where(col(Coverage.patient_id).in_(patient_ids))), "patient_id"
        )
        self.payers = _by_id(session, Payer, (c.payer_id for c in claims))
        self.practices = _by_id(session, Practice, (c.practice_id for c in claims))
        self.co_leaders = _grouped(
            session.exec(select(SessionCoLeader).where(col(SessionCoLeader.session_id).in_(list(self.sessions)))),
            "session_id",
        )
        provider_ids = {c.rendering_provider_id for c in claims} | {s.leader_id for s in self.sessions.values()}
        self.providers = _by_id(session, Provider, provider_ids)
        self.licenses = _grouped(
            session.exec(select(ProviderLicense).where(col(ProviderLicense.provider_id).in_(list(self.providers)))),
            "provider_id",
        )
        self.enrollments = _grouped(
            session.exec(select(PayerEnrollment).where(col(PayerEnrollment.provider_id).in_(list(self.providers)))),
            "provider_id",
        )
        self.plans = _grouped(
            session.exec(select(TreatmentPlan).where(col(TreatmentPlan.patient_id).in_(patient_ids))), "patient_id"
        )
        auths = list(session.exec(select(Authorization).where(col(Authorization.patient_id).in_(patient_ids))))
        self.auths, self.auths_by_id = _grouped(auths, "patient_id"), {db_id(a.id): a for a in auths}
        self.checks = _grouped(
            session.exec(
                select(EligibilityCheck)
                .where(col(EligibilityCheck.coverage_id).in_([c.coverage_id for c in claims]))
                .options(defer(EligibilityCheck.raw_271))  # type: ignore[arg-type]  # rules read the summary, not the 271
            ),
            "coverage_id",
        )
        first, last = min(c.service_date for c in claims), max(c.service_date for c in claims)
        self.services = _grouped(
            session.exec(
                select(OtherService).where(
                    col(OtherService.patient_id).in_(patient_ids),
                    col(OtherService.service_date) >= first,
                    col(OtherService.service_date) <= last,
                )
            ),
            "patient_id",
        )
        self.others = _other_claims(session, patient_ids, first - HISTORY, last + HISTORY)
        self.attended = _attended_counts(session, list(self.sessions))
        self.originals = _by_id(session, Claim, (c.original_claim_id for c in claims))
        self.plain = PlainCache(leave=frozenset({"raw_271"}))  # deferred above: the rules never read it

    def context(self, claim: Claim, today: date) -> ClaimContext:
        """One claim's context: the claim and its lines as mapped rows (coding changes them), every
        other row as a shared plain copy (rules only read them)."""
        p = self.plain
        group_session = self.sessions[claim.session_id]
        attendance = self.attendance[claim.attendance_id]
        payer = p(self.payers[claim.payer_id])
        rendering = self.providers.get(claim.rendering_provider_id) if claim.rendering_provider_id else None
        coverages = p.all(self.coverages[claim.patient_id])
        original = self.originals.get(claim.original_claim_id) if claim.original_claim_id else None
        note = self.notes.get(db_id(attendance.id))
        check = _latest_check(self.checks.get(claim.coverage_id, []), claim.service_date)
        return ClaimContext(
            claim=claim,
            lines=self.lines[db_id(claim.id)],
            session=p(group_session),
            attendance=p(attendance),
            note=p(note) if note else None,
            patient=p(self.patients[claim.patient_id]),
            coverage=next(c for c in coverages if c.id == claim.coverage_id),
            payer=payer,
            profile=profiles().get(payer.profile),
            practice=p(self.practices[claim.practice_id]),
            rendering=p(rendering) if rendering else None,
            today=today,
            licenses=p.all(self.licenses.get(claim.rendering_provider_id, [])),
            enrollments=p.all(self.enrollments.get(claim.rendering_provider_id, [])),
            leader_ids=_leaders(group_session, self.co_leaders.get(group_session.id, [])),
            plans=p.all(self.plans.get(claim.patient_id, [])),
            coverages=coverages,
            authorizations=p.all(self.auths.get(claim.patient_id, [])),
            eligibility=p(check) if check else None,
            other_services=p.all(self.services.get(claim.patient_id, [])),
            # a replacement or void stands in for the claim it replaces: that one is not "another" claim
            other_claims=[
                o
                for o in self.others.get(claim.patient_id, [])
                if o.claim_id not in (claim.id, claim.original_claim_id)
            ],
            attended_count=self.attended.get(db_id(group_session.id), 0),
            original_payer_claim_number=original.payer_claim_number if original else None,
        )


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
    from tasks.claims.drafting import ATTENDED

    query = (
        select(Attendance.session_id, func.count())
        .where(col(Attendance.session_id).in_(session_ids), col(Attendance.status).in_(ATTENDED))
        .group_by(col(Attendance.session_id))
    )
    return dict(session.exec(query).all())


def _other_claims(session: Session, patient_ids: set[int], start: date, end: date) -> dict[int, list[OtherClaim]]:
    rows = session.exec(
        select(Claim, col(Coverage.member_id), col(GroupSession.start_time), col(GroupSession.end_time))
        .join(Coverage, col(Claim.coverage_id) == Coverage.id)
        .join(GroupSession, col(Claim.session_id) == GroupSession.id)
        .where(col(Claim.patient_id).in_(patient_ids), col(Claim.service_date) >= start, col(Claim.service_date) <= end)
    ).all()
    lines = _grouped(
        session.exec(select(ClaimLine).where(col(ClaimLine.claim_id).in_([c.id for c, *_ in rows]))), "claim_id"
    )
    found: dict[int, list[OtherClaim]] = defaultdict(list)
    for claim, member_id, start_time, end_time in rows:
        codes = tuple((line.cpt_code, tuple(line.modifiers), line.units) for line in lines.get(claim.id, []))
        found[claim.patient_id].append(
            OtherClaim(
                db_id(claim.id),
                claim.session_id,
                claim.payer_id,
                member_id,
                claim.service_date,
                claim.status,
                claim.rendering_provider_id,
                claim.practice_id,
                codes,
                start_time,
                end_time,
            )
        )
    return found
