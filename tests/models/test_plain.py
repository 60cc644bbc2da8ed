"""Plain copies of rows: loaded columns without a query per row (deferred ones left behind), and rows read
straight from Core selects with the same values and types."""

from sqlalchemy import event
from sqlalchemy.orm import defer
from sqlmodel import Session, col, select

from models.exchange import EligibilityCheck
from models.plain import plain
from models.practice import Payer


def _add_check(session: Session, coverage_id: int) -> None:
    from datetime import date

    session.add(
        EligibilityCheck(
            coverage_id=coverage_id,
            service_date=date(2026, 11, 2),
            outcome="active",
            raw_271="ISA*...",
            summary={"active": True},
        )
    )
    session.commit()


def _statements(engine) -> list[str]:
    seen: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: seen.append(a[2]))
    return seen


def test_a_deferred_column_is_left_behind_without_a_query(engine, imported) -> None:
    from models.patients import Coverage

    with Session(engine) as session:
        _add_check(session, session.exec(select(Coverage.id)).first())  # type: ignore[arg-type]
        check = session.exec(select(EligibilityCheck).options(defer(col(EligibilityCheck.raw_271)))).one()
        seen = _statements(engine)
        copy = plain(check, leave=frozenset({"raw_271"}))
        assert seen == []
        assert copy.summary == {"active": True} and copy.outcome == "active"
        assert not hasattr(copy, "raw_271")


def test_an_expired_row_is_read_again(engine, imported) -> None:
    with Session(engine) as session:
        payer = session.exec(select(Payer)).first()
        assert payer is not None
        name = payer.name
        session.expire(payer)
        copy = plain(payer)
        assert copy.name == name and copy.id == payer.id


def test_rows_read_without_the_orm_equal_copies_of_mapped_rows(engine, imported) -> None:
    """Same values and types (money, enums, JSON, UTC times) as the ORM gives, for every table the rules read."""
    from config.fees import load_fee_schedule
    from models.claims import Claim, ClaimLine
    from models.patients import Authorization, Coverage, Patient, TreatmentPlan
    from models.plain import plain_rows
    from models.practice import PayerEnrollment, Practice, Provider, ProviderLicense
    from models.sessions import Attendance, GroupSession, OtherService, ProgressNote, SessionCoLeader
    from tasks.claims.drafting import draft_claims

    models = [Authorization, Coverage, Patient, TreatmentPlan, PayerEnrollment, Practice, Provider, ProviderLicense]
    models += [Attendance, GroupSession, OtherService, ProgressNote, SessionCoLeader, Payer, Claim, ClaimLine]
    with Session(engine) as session:
        draft_claims(session, imported.practice_id, load_fee_schedule(), source="test")
        session.commit()
        for model in models:
            mapped = {r.id: vars(plain(r)) for r in session.exec(select(model))}
            read = {r.id: vars(r) for r in plain_rows(session, model)}
            assert mapped and read == mapped, model.__name__
            first = next(iter(read.values()))
            assert {k: type(v) for k, v in first.items()} == {k: type(v) for k, v in mapped[first["id"]].items()}
