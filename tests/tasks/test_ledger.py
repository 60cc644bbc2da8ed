"""The authorization ledger: never negative, always the sum of its history, retries harmless."""

from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from models.enums import LedgerKind as K
from tasks.preauth.ledger import Move, balance, holdings, plan


@dataclass
class E:
    claim_id: int
    kind: K
    units: int


def _run(authorized: int, ops: list[tuple[int, K, int]]) -> tuple[list[E], list[bool]]:
    entries: list[E] = []
    granted = []
    for claim_id, kind, units in ops:
        move = plan(authorized, entries, claim_id, kind, units)
        granted.append(move.granted)
        if move.entry is not None:
            entries.append(E(claim_id, *move.entry))
    return entries, granted


@settings(max_examples=300, deadline=None)
@given(
    authorized=st.integers(0, 12),
    ops=st.lists(st.tuples(st.integers(1, 5), st.sampled_from(list(K)), st.integers(1, 3)), max_size=40),
)
def test_any_sequence_never_overdraws_and_sums_to_its_history(authorized: int, ops) -> None:
    entries, _ = _run(authorized, ops)
    b = balance(authorized, entries)
    assert b.remaining >= 0 and b.reserved >= 0 and b.consumed >= 0
    held = holdings(entries)
    assert b.reserved + b.consumed == sum(h.units for h in held.values())
    prefix_ok = all(balance(authorized, entries[:i]).remaining >= 0 for i in range(len(entries) + 1))
    assert prefix_ok


def test_life_of_a_claim() -> None:
    entries, granted = _run(
        2,
        [
            (1, K.RESERVE, 1),
            (1, K.RESERVE, 1),
            (2, K.RESERVE, 1),
            (3, K.RESERVE, 1),
            (1, K.CONSUME, 1),
            (2, K.RELEASE, 0),
            (3, K.RESERVE, 1),
        ],
    )
    assert granted == [True, True, True, False, True, True, True]
    assert [(e.claim_id, e.kind) for e in entries] == [
        (1, K.RESERVE),
        (2, K.RESERVE),
        (1, K.CONSUME),
        (2, K.RELEASE),
        (3, K.RESERVE),
    ]
    assert balance(2, entries).remaining == 0 and balance(2, entries).consumed == 1


def test_release_of_a_consumed_claim_returns_its_units() -> None:
    entries, _ = _run(1, [(1, K.RESERVE, 1), (1, K.CONSUME, 1), (1, K.RELEASE, 0), (2, K.RESERVE, 1)])
    assert balance(1, entries).reserved == 1 and balance(1, entries).consumed == 0


def test_ledger_in_the_database_refuses_the_last_unit_twice(engine, imported) -> None:
    from sqlmodel import Session, select

    from models.db import session_scope
    from models.patients import Authorization
    from tasks.preauth.accounting import balances, record
    from tests.factories import add_claim, make_attendance

    claim_ids = [add_claim(engine, make_attendance(engine)) for _ in range(3)]
    with session_scope(engine) as s:
        auth = s.exec(select(Authorization)).first()
        auth.units_authorized = 2
        auth_id = auth.id
    with session_scope(engine) as s:
        assert [record(s, auth_id, c, K.RESERVE, 1, "test") for c in claim_ids] == [True, True, False]
        assert record(s, auth_id, claim_ids[0], K.RESERVE, 1, "retry") is True  # no-op
        assert record(s, auth_id, claim_ids[0], K.CONSUME, 1, "submit") is True
        assert record(s, auth_id, claim_ids[1], K.RELEASE, 0, "rejected") is True
        assert record(s, auth_id, claim_ids[2], K.RESERVE, 1, "test") is True
    with Session(engine) as s:
        b = balances(s, [s.get(Authorization, auth_id)])[auth_id]
    assert (b.reserved, b.consumed, b.remaining) == (1, 1, 0)


def test_alerts() -> None:
    from datetime import date

    from models.patients import Authorization
    from tasks.preauth.alerts import alerts_for
    from tasks.preauth.ledger import Balance

    auth = Authorization(
        id=7,
        practice_id=1,
        source_id="A",
        patient_id=1,
        payer_id=1,
        number="PA",
        cpt_codes=["90853"],
        units_authorized=10,
        start_date=date(2026, 9, 1),
        end_date=date(2026, 12, 5),
    )
    today = date(2026, 11, 27)
    found = alerts_for(auth, Balance(10, 3, 6), [date(2026, 11, 30), date(2026, 12, 2), date(2026, 12, 9)], today)
    assert [a.kind for a in found] == ["ending_soon", "low_units", "booked_beyond_units", "booked_after_end"]
    assert alerts_for(auth, Balance(10, 0, 0), [date(2026, 11, 30)], date(2026, 11, 1)) == []


def test_a_correction_may_reserve_what_its_original_holds_and_nothing_more() -> None:
    """Claim 1 consumed the last unit; its correction (claim 2) may reserve it, a third claim may not, and
    once the original's units are released (the correction was sent) the ledger balances again."""
    entries = [E(1, K.RESERVE, 1), E(1, K.CONSUME, 1)]
    assert not plan(1, entries, 2, K.RESERVE, 1).granted  # any other claim: nothing left
    assert not plan(1, entries, 2, K.RESERVE, 2, replaces=1).granted  # no more than the original holds
    assert not plan(1, entries, 3, K.RESERVE, 1, replaces=4).granted  # a claim that holds nothing gives nothing
    move = plan(1, entries, 2, K.RESERVE, 1, replaces=1)
    assert move == Move((K.RESERVE, 1), True)
    entries.append(E(2, K.RESERVE, 1))
    assert balance(1, entries).remaining == -1  # counted twice until the correction is sent
    entries.append(E(1, *plan(1, entries, 1, K.RELEASE, 0).entry))  # type: ignore[misc]
    entries.append(E(2, *plan(1, entries, 2, K.CONSUME, 1).entry))  # type: ignore[misc]
    assert balance(1, entries).remaining == 0 and set(holdings(entries)) == {2}
