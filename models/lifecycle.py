"""The claim lifecycle: allowed status moves as data, and the one function that makes them.

    draft ─▶ ready ─▶ submitting ─▶ submitted ─▶ accepted ─▶ paid | partially_paid | denied
      │        ▲                         │
      ▼        │                         └──▶ rejected (999 / 277CA) ─▶ (fixed) new original claim
    on_hold ───┘ (after the cause is fixed)      denied / paid ─▶ corrected (7) / voided (8)

Beyond the drawing, and why (each is a real path a claim takes):
- ready → on_hold: a re-scrub before sending (fresh eligibility, a data fix) finds a new error.
- submitting → rejected: the clearinghouse refused the whole file at the door (it never got in).
- accepted → rejected: a payer 277CA rejects what the clearinghouse's 277CA had accepted.
- submitted → paid / partially_paid / denied: many payers send the 835 with no 277CA first.
- between paid, partially_paid and denied: the payer reprocesses (a reversal and a new payment).
- partially_paid → corrected / voided, like paid.
- draft / on_hold / ready → accepted: the prior payer forwarded the claim to this payer itself
  (a crossover), and this payer's 835 arrived before groupbill sent its own claim.
- denied → corrected: a denial for the payer order (CARC 22) is closed by its rebill, a new original
  claim in the corrected order.
"""

from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, select

from models.claims import Claim, ClaimEvent
from models.clock import utcnow
from models.db import insert_rows
from models.enums import ClaimStatus as S
from models.errors import IllegalTransition, StatusConflict

_ADJUDICATED = frozenset({S.PAID, S.PARTIALLY_PAID, S.DENIED})

ALLOWED_TRANSITIONS: Mapping[S, frozenset[S]] = {
    S.DRAFT: frozenset({S.READY, S.ON_HOLD, S.ACCEPTED}),
    S.ON_HOLD: frozenset({S.READY, S.ACCEPTED}),
    S.READY: frozenset({S.SUBMITTING, S.ON_HOLD, S.ACCEPTED}),
    S.SUBMITTING: frozenset({S.SUBMITTED, S.REJECTED}),
    S.SUBMITTED: frozenset({S.ACCEPTED, S.REJECTED}) | _ADJUDICATED,
    S.ACCEPTED: frozenset({S.REJECTED}) | _ADJUDICATED,
    S.REJECTED: frozenset(),
    S.PAID: (_ADJUDICATED - {S.PAID}) | {S.CORRECTED, S.VOIDED},
    S.PARTIALLY_PAID: (_ADJUDICATED - {S.PARTIALLY_PAID}) | {S.CORRECTED, S.VOIDED},
    S.DENIED: (_ADJUDICATED - {S.DENIED}) | {S.CORRECTED, S.VOIDED},
    S.CORRECTED: frozenset(),
    S.VOIDED: frozenset(),
}

TERMINAL_STATUSES = frozenset(s for s, targets in ALLOWED_TRANSITIONS.items() if not targets)


class Decision(StrEnum):
    """What the lifecycle says about a proposed move."""

    APPLY = "apply"
    NOOP = "noop"
    REJECT = "reject"


def check_transition(current: S, proposed: S) -> Decision:
    """Whether `current` may move to `proposed`; the same status again is a no-op."""
    if current == proposed:
        return Decision.NOOP
    return Decision.APPLY if proposed in ALLOWED_TRANSITIONS[current] else Decision.REJECT


def transition(
    session: Session,
    claim_id: int,
    to: S,
    *,
    source: str,
    expected: S | None = None,
    reason: str | None = None,
    rule_ids: Iterable[str] = (),
    details: dict[str, Any] | None = None,
) -> bool:
    """Move one claim to `to` by compare-and-set and append its event; the caller commits.

    Returns True when the status changed, False for a no-op (already there). Raises
    IllegalTransition for a move the lifecycle forbids, and StatusConflict when another
    writer changed the claim after `expected` was read.
    """
    current = expected if expected is not None else _current_status(session, claim_id)
    decision = check_transition(current, to)
    if decision is Decision.NOOP:
        return False
    if decision is Decision.REJECT:
        raise IllegalTransition(f"claim {claim_id}: {current.value} → {to.value} is not allowed")
    now = utcnow()
    moved = session.execute(
        update(Claim)
        .where(Claim.id == claim_id, Claim.status == current)  # type: ignore[arg-type]
        .values(status=to, status_changed_at=now)
        .execution_options(synchronize_session=False)  # the default evaluates every object in the session
    )
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        actual = _current_status(session, claim_id)
        if actual == to:
            return False
        raise StatusConflict(claim_id, current.value, actual.value if actual else None)
    _sync_loaded(session, claim_id, to, now)
    session.add(_event(claim_id, current, to, now, source, reason, rule_ids, details))
    return True


def _sync_loaded(session: Session, claim_id: int, to: S, now: Any) -> None:
    """The claim's row in this session, if loaded, shows the new status (as if read after the update)."""
    loaded = session.identity_map.get(Session.identity_key(Claim, claim_id))
    if loaded is not None:
        set_committed_value(loaded, "status", to)
        set_committed_value(loaded, "status_changed_at", now)


def _current_status(session: Session, claim_id: int) -> S:
    status = session.exec(select(Claim.status).where(Claim.id == claim_id)).one_or_none()
    if status is None:
        raise IllegalTransition(f"claim {claim_id} does not exist")
    return S(status)


def _event(
    claim_id: int,
    current: S,
    to: S,
    now: Any,
    source: str,
    reason: str | None,
    rule_ids: Iterable[str],
    details: dict[str, Any] | None,
) -> ClaimEvent:
    return ClaimEvent(**_event_row(claim_id, current, to, now, source, reason, rule_ids, details))


def _event_row(
    claim_id: int,
    current: S,
    to: S,
    now: Any,
    source: str,
    reason: str | None,
    rule_ids: Iterable[str],
    details: dict[str, Any] | None,
) -> dict[str, Any]:
    """The columns of one ClaimEvent, for a bulk insert."""
    return {
        "claim_id": claim_id,
        "from_status": current,
        "to_status": to,
        "occurred_at": now,
        "source": source,
        "reason": reason,
        "rule_ids": sorted(set(rule_ids)),
        "details": details or {},
    }


Move = tuple[int, S, S, list[str], dict[str, Any]]
"""(claim_id, expected, to, rule_ids, details): one claim's move in `transition_many`."""


def transition_many(
    session: Session,
    moves: list[Move],
    *,
    source: str,
    reason: str | None = None,
) -> int:
    """Move many claims at once: (claim_id, expected, to, rule_ids, details) each, compare-and-set per group.

    Same rules as `transition`: no-ops are skipped, illegal moves raise IllegalTransition, and a claim
    another writer changed first raises StatusConflict (nothing of the batch is applied then: the
    caller's transaction rolls back). Returns how many claims moved.
    """
    groups: dict[tuple[S, S], list[tuple[int, list[str], dict[str, Any]]]] = {}
    for claim_id, expected, to, rule_ids, details in moves:
        decision = check_transition(expected, to)
        if decision is Decision.REJECT:
            raise IllegalTransition(f"claim {claim_id}: {expected.value} → {to.value} is not allowed")
        if decision is Decision.APPLY:
            groups.setdefault((expected, to), []).append((claim_id, rule_ids, details))
    now, moved = utcnow(), 0
    for (expected, to), members in groups.items():
        ids = [claim_id for claim_id, _, _ in members]
        result = session.execute(
            update(Claim)
            .where(col(Claim.id).in_(ids), col(Claim.status) == expected)
            .values(status=to, status_changed_at=now)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != len(ids):  # type: ignore[attr-defined]
            raise StatusConflict(ids[0], expected.value, "changed by another writer")
        for claim_id in ids:
            _sync_loaded(session, claim_id, to, now)
        insert_rows(  # a plain multi-row insert: building an ORM object per event cost 0.2 ms each
            session,
            ClaimEvent,
            [_event_row(i, expected, to, now, source, reason, rules, info) for i, rules, info in members],
        )
        moved += len(ids)
    return moved


def move_all(
    session: Session,
    claim_ids: Iterable[int],
    expected: S,
    to: S,
    *,
    source: str,
    reason: str | None = None,
    details: dict[str, Any] | None = None,
) -> int:
    """Move every one of these claims from `expected` to `to` (same rules as `transition_many`)."""
    moves: list[Move] = [(claim_id, expected, to, [], dict(details or {})) for claim_id in claim_ids]
    return transition_many(session, moves, source=source, reason=reason)
