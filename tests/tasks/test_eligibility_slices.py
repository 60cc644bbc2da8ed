"""A night's eligibility run works in slices of coverages: the same checks, whatever the slice size."""

from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from config.fees import load_fee_schedule
from models.db import session_scope
from models.exchange import EligibilityCheck
from tasks.claims.drafting import draft_claims
from tasks.clearinghouse.sandbox.simulator import SandboxClearinghouse
from tasks.eligibility import check
from tasks.scrubbing.engine import profiles
from tasks.scrubbing.run import scrubbable_claims
from tasks.synthetic.generate import install_roster
from tests.tasks.scrubbing.conftest import NOW


def _verify(engine: Engine, sandbox: SandboxClearinghouse) -> tuple[int, check.CheckReport]:
    with session_scope(engine) as s:
        pairs = check.claim_coverage_dates(s, scrubbable_claims(s))
        return len(pairs), check.run_checks(s, sandbox, pairs, profiles=profiles(), now=NOW)


def _outcomes(engine: Engine) -> list[tuple[int, str, str, str]]:
    with Session(engine) as s:
        rows = s.exec(select(EligibilityCheck)).all()
        return sorted((r.coverage_id, str(r.service_date), r.service_type, r.outcome) for r in rows)


@pytest.fixture
def sandbox(practice, tmp_path: Path) -> SandboxClearinghouse:
    return SandboxClearinghouse.from_folder(install_roster(practice, tmp_path / "sandbox").parent)


def test_small_slices_store_the_same_checks_and_reuse_them(engine, imported, sandbox, monkeypatch) -> None:
    with session_scope(engine) as s:
        draft_claims(s, imported.practice_id, load_fee_schedule(), source="test")
    monkeypatch.setattr(check, "CHECK_CHUNK", 3)
    monkeypatch.setattr("models.db.IN_CHUNK", 4)
    pairs, first = _verify(engine, sandbox)
    sliced = _outcomes(engine)
    assert pairs > 8 and first.checked == pairs and first.reused == 0
    assert len({(c, d) for c, d, _, _ in sliced}) == pairs
    _, again = _verify(engine, sandbox)
    assert again.checked == 0 and again.reused == pairs
    monkeypatch.undo()
    with session_scope(engine) as s:
        s.exec(EligibilityCheck.__table__.delete())  # type: ignore[attr-defined]
    _verify(engine, sandbox)
    assert _outcomes(engine) == sliced


def test_coverage_dates_come_in_pages_that_add_up_to_the_claims(engine, imported) -> None:
    from datetime import date

    from tasks.scrubbing.run import scrubbable_coverage_dates

    with session_scope(engine) as s:
        draft_claims(s, imported.practice_id, load_fee_schedule(), source="test")
    with Session(engine) as s:
        everything = check.claim_coverage_dates(s, scrubbable_claims(s))
        pages = list(scrubbable_coverage_dates(s, size=3))
        assert all(0 < len(page) <= 3 for page in pages)
        assert [pair for page in pages for pair in page] == everything  # distinct, in (coverage, date) order
        days = sorted({day for _, day in everything})
        first, last = days[1], days[-2]
        windowed = [p for page in scrubbable_coverage_dates(s, date_from=first, date_to=last, size=4) for p in page]
        assert windowed == [(c, d) for c, d in everything if first <= d <= last] and isinstance(first, date)
