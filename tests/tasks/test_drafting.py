"""Drafting claims from attendance."""

from decimal import Decimal

from sqlalchemy import Engine
from sqlmodel import Session, select

from config.fees import load_fee_schedule
from models.claims import Claim, ClaimEvent, ClaimLine
from models.db import session_scope
from models.enums import ClaimStatus
from models.patients import Coverage
from models.sessions import Attendance, GroupSession
from tasks.claims.drafting import draft_claims
from tasks.claims.rollup import session_rollups


def _draft(engine: Engine, practice_id: int):
    with session_scope(engine) as s:
        return draft_claims(s, practice_id, load_fee_schedule(), source="test")


def test_one_draft_claim_per_attendee_who_took_part(engine: Engine, practice, imported) -> None:
    report = _draft(engine, imported.practice_id)
    attended = [
        (s, a) for s in practice.bundle.sessions if s.status == "held" for a in s.attendance if a.status.attended
    ]
    assert report.created == len(attended)
    with Session(engine) as s:
        claims = s.exec(select(Claim)).all()
        assert {c.status for c in claims} == {ClaimStatus.DRAFT}
        assert len(s.exec(select(ClaimEvent).where(ClaimEvent.to_status == ClaimStatus.DRAFT)).all()) == len(claims)
        assert all(c.patient_control_number == f"GB{c.id:010d}" for c in claims)


def test_drafting_in_small_chunks_drafts_the_same_claims(engine: Engine, practice, imported, monkeypatch) -> None:
    from tasks.claims import drafting

    monkeypatch.setattr(drafting, "CHUNK", 7)
    report = _draft(engine, imported.practice_id)
    attended = sum(a.status.attended for s in practice.bundle.sessions if s.status == "held" for a in s.attendance)
    with Session(engine) as s:
        claims = s.exec(select(Claim)).all()
        lines = s.exec(select(ClaimLine)).all()
    assert report.created == len(claims) == len({c.attendance_id for c in claims}) == attended
    assert {line.claim_id for line in lines} == {c.id for c in claims}
    assert _draft(engine, imported.practice_id).already_drafted == attended


def test_lines_charges_and_interactive_complexity(engine: Engine, practice, imported) -> None:
    _draft(engine, imported.practice_id)
    fees = load_fee_schedule()
    with Session(engine) as s:
        for claim in s.exec(select(Claim)).all():
            lines = s.exec(
                select(ClaimLine).where(ClaimLine.claim_id == claim.id).order_by(ClaimLine.line_number)
            ).all()
            attendance = s.get(Attendance, claim.attendance_id)
            expected = ["90853", "90785"] if attendance.interactive_complexity else ["90853"]
            assert [line.cpt_code for line in lines] == expected
            assert claim.total_charge == sum((fees.charge(c) for c in expected), Decimal("0.00"))
            assert all(1 <= p <= len(claim.diagnoses) for line in lines for p in line.diagnosis_pointers)
            assert lines[0].line_control_number == f"{claim.patient_control_number}L1"
        assert any(
            len(s.exec(select(ClaimLine).where(ClaimLine.claim_id == c.id)).all()) == 2
            for c in s.exec(select(Claim)).all()
        )


def test_drafting_twice_drafts_nothing_new(engine: Engine, imported) -> None:
    first = _draft(engine, imported.practice_id)
    second = _draft(engine, imported.practice_id)
    assert (second.created, second.already_drafted) == (0, first.created)


def test_attendee_without_coverage_in_force_is_counted_not_billed(engine: Engine, imported) -> None:
    with session_scope(engine) as s:
        some_held = s.exec(select(GroupSession).where(GroupSession.status == "held")).first()
        attendee = s.exec(
            select(Attendance).where(Attendance.session_id == some_held.id, Attendance.status == "present")
        ).first()
        for coverage in s.exec(select(Coverage).where(Coverage.patient_id == attendee.patient_id)):
            coverage.termination_date = some_held.service_date.replace(year=2000)
            coverage.effective_date = some_held.service_date.replace(year=1999)
    report = _draft(engine, imported.practice_id)
    assert report.no_coverage >= 1


def test_rollup_counts_roster_attendance_and_claims(engine: Engine, practice, imported) -> None:
    _draft(engine, imported.practice_id)
    with Session(engine) as s:
        rollups = {r.source_id: r for r in session_rollups(s)}
    for record in practice.bundle.sessions:
        rollup = rollups[record.id]
        assert rollup.roster == len(record.attendance)
        assert rollup.attended == sum(a.status.attended for a in record.attendance)
        assert sum(rollup.claims.values()) == (rollup.attended if record.status == "held" else 0)
        assert rollup.state == ("to bill" if record.status == "held" else "scheduled")
