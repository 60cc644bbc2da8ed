"""The claim lifecycle: allowed moves, no-ops, illegal moves and compare-and-set."""

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlmodel import Session, select

from models.claims import Claim, ClaimEvent
from models.db import session_scope
from models.enums import ClaimStatus as S
from models.errors import IllegalTransition, StatusConflict
from models.lifecycle import ALLOWED_TRANSITIONS, TERMINAL_STATUSES, Decision, check_transition, transition
from tests.factories import make_claim

ALLOWED = [(a, b) for a, targets in ALLOWED_TRANSITIONS.items() for b in sorted(targets)]
ILLEGAL = [(a, b) for a, b in itertools.product(S, S) if a != b and b not in ALLOWED_TRANSITIONS[a]]


def test_every_status_has_an_entry() -> None:
    assert set(ALLOWED_TRANSITIONS) == set(S)
    assert TERMINAL_STATUSES == {S.REJECTED, S.CORRECTED, S.VOIDED}


def test_the_drawn_happy_path_is_allowed() -> None:
    path = [S.DRAFT, S.READY, S.SUBMITTING, S.SUBMITTED, S.ACCEPTED, S.PAID, S.CORRECTED]
    assert all(check_transition(a, b) is Decision.APPLY for a, b in itertools.pairwise(path))
    assert check_transition(S.ON_HOLD, S.READY) is Decision.APPLY
    assert check_transition(S.DENIED, S.VOIDED) is Decision.APPLY


@pytest.mark.parametrize(("current", "proposed"), ALLOWED)
def test_each_allowed_transition_applies_and_records_an_event(engine: Engine, current: S, proposed: S) -> None:
    claim_id = make_claim(engine, status=current)
    with session_scope(engine) as session:
        assert transition(session, claim_id, proposed, source="test", reason="why", rule_ids=["B", "A", "A"])
    with Session(engine) as session:
        assert session.get(Claim, claim_id).status is proposed
        event = session.exec(
            select(ClaimEvent).where(ClaimEvent.claim_id == claim_id, ClaimEvent.from_status == current)
        ).one()
        assert (event.to_status, event.source, event.reason, event.rule_ids) == (proposed, "test", "why", ["A", "B"])
        assert event.occurred_at.tzinfo is not None


@pytest.mark.parametrize(
    ("current", "proposed"),
    ILLEGAL[::7] + [(S.DRAFT, S.SUBMITTED), (S.REJECTED, S.READY), (S.PAID, S.DRAFT), (S.ON_HOLD, S.SUBMITTING)],
)
def test_illegal_transitions_raise_and_change_nothing(engine: Engine, current: S, proposed: S) -> None:
    claim_id = make_claim(engine, status=current)
    with pytest.raises(IllegalTransition), session_scope(engine) as session:
        transition(session, claim_id, proposed, source="test")
    with Session(engine) as session:
        assert session.get(Claim, claim_id).status is current
        assert len(session.exec(select(ClaimEvent).where(ClaimEvent.claim_id == claim_id)).all()) == 1


def test_reasserting_the_current_status_is_a_no_op(engine: Engine) -> None:
    claim_id = make_claim(engine, status=S.SUBMITTED)
    with session_scope(engine) as session:
        assert transition(session, claim_id, S.SUBMITTED, source="retry") is False
    with Session(engine) as session:
        assert len(session.exec(select(ClaimEvent).where(ClaimEvent.claim_id == claim_id)).all()) == 1


def test_compare_and_set_two_writers_one_wins(engine: Engine) -> None:
    claim_id = make_claim(engine, status=S.READY)
    first, second = Session(engine), Session(engine)
    try:
        seen_by_both = first.get(Claim, claim_id).status
        assert second.get(Claim, claim_id).status is seen_by_both is S.READY
        assert transition(first, claim_id, S.SUBMITTING, source="writer-1", expected=seen_by_both)
        first.commit()
        with pytest.raises(StatusConflict) as conflict:
            transition(second, claim_id, S.ON_HOLD, source="writer-2", expected=seen_by_both)
        second.rollback()
        assert (conflict.value.expected, conflict.value.actual) == ("ready", "submitting")
    finally:
        first.close()
        second.close()
    with Session(engine) as session:
        events = session.exec(select(ClaimEvent.source).where(ClaimEvent.claim_id == claim_id)).all()
        assert events == ["factory", "writer-1"]


def test_a_retry_that_finds_its_own_move_done_is_a_no_op(engine: Engine) -> None:
    claim_id = make_claim(engine, status=S.READY)
    with session_scope(engine) as session:
        transition(session, claim_id, S.SUBMITTING, source="attempt-1")
    with session_scope(engine) as session:
        assert transition(session, claim_id, S.SUBMITTING, source="attempt-2", expected=S.READY) is False


def test_unknown_claim_is_refused(engine: Engine) -> None:
    with pytest.raises(IllegalTransition), session_scope(engine) as session:
        transition(session, 999_999, S.READY, source="test")


@settings(max_examples=40, deadline=None)
@given(moves=st.lists(st.sampled_from(list(S)), max_size=12))
def test_history_always_explains_the_status(tmp_path_factory, moves: list[S]) -> None:
    from models.db import create_schema, make_engine

    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('lc') / 'db.sqlite'}")
    create_schema(engine)
    claim_id = make_claim(engine, status=S.DRAFT)
    applied = 0
    for move in moves:
        try:
            with session_scope(engine) as session:
                applied += transition(session, claim_id, move, source="prop")
        except IllegalTransition:
            pass
    with Session(engine) as session:
        events = session.exec(select(ClaimEvent).where(ClaimEvent.claim_id == claim_id).order_by(ClaimEvent.id)).all()
        assert len(events) == applied + 1
        assert all(b.from_status == a.to_status for a, b in itertools.pairwise(events))
        assert session.get(Claim, claim_id).status == events[-1].to_status
    engine.dispose()
