"""The authorization ledger: units are reserved when a claim becomes ready, consumed when it is
submitted, and released when it is voided, rejected before the payer, or denied in a way that
returns them. Nothing is a counter: the balance is derived from the append-only entries.

Each claim holds nothing, reserved units or consumed units; an operation that does not fit the
claim's state (a second reservation, releasing nothing) is a no-op, so a retried step is harmless.

A correction (frequency 7) bills the same service as the claim it corrects, so it may reserve the
units that claim holds; both hold them until the correction is sent, when the original's are released
(`tasks/submission/sending.py`). Only in that window can a balance be below zero, by at most the
original's units.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from models.enums import LedgerKind


class Entry(Protocol):
    """What the ledger reads of an entry (AuthLedgerEntry rows fit)."""

    claim_id: int | None
    kind: LedgerKind
    units: int


@dataclass(frozen=True)
class Holding:
    """What one claim holds of an authorization."""

    kind: LedgerKind  # RESERVE (reserved) or CONSUME (consumed)
    units: int


@dataclass(frozen=True)
class Balance:
    """An authorization's units: authorized, reserved, consumed, and what remains."""

    authorized: int
    reserved: int
    consumed: int

    @property
    def remaining(self) -> int:
        """Units still free to reserve."""
        return self.authorized - self.reserved - self.consumed


def holdings(entries: Iterable[Entry]) -> dict[int, Holding]:
    """Each claim's holding after replaying the entries in order."""
    held: dict[int, Holding] = {}
    for entry in entries:
        if entry.claim_id is None:
            continue
        current = held.get(entry.claim_id)
        if entry.kind is LedgerKind.RELEASE:
            held.pop(entry.claim_id, None)
        elif entry.kind is LedgerKind.RESERVE and current is None:
            held[entry.claim_id] = Holding(LedgerKind.RESERVE, entry.units)
        elif entry.kind is LedgerKind.CONSUME and (current is None or current.kind is LedgerKind.RESERVE):
            held[entry.claim_id] = Holding(LedgerKind.CONSUME, entry.units)
    return held


def balance(authorized: int, entries: Iterable[Entry]) -> Balance:
    """The balance an authorization's entries add up to."""
    held = holdings(entries).values()
    return Balance(
        authorized,
        sum(h.units for h in held if h.kind is LedgerKind.RESERVE),
        sum(h.units for h in held if h.kind is LedgerKind.CONSUME),
    )


@dataclass(frozen=True)
class Move:
    """An entry to append (or None for a no-op), and whether the request was granted."""

    entry: tuple[LedgerKind, int] | None
    granted: bool


def plan(
    authorized: int, entries: Sequence[Entry], claim_id: int, kind: LedgerKind, units: int, replaces: int | None = None
) -> Move:
    """What a reserve, consume or release for one claim should append, given the history so far.

    A reservation or a consumption that would overdraw the authorization is refused (granted False):
    that is AUTH_EXHAUSTED, a business outcome, not an error. A corrected claim's reservation
    (`replaces`: the claim it corrects) may also use what that claim holds: it bills the same service,
    and the original's units are released when the correction is sent.
    """
    held = holdings(entries)
    current = held.get(claim_id)
    free = balance(authorized, entries).remaining
    if kind is LedgerKind.RELEASE:
        return Move((kind, current.units), True) if current else Move(None, True)
    if kind is LedgerKind.RESERVE:
        if current is not None:
            return Move(None, True)
        original = held.get(replaces) if replaces is not None else None
        free += original.units if original else 0
        return Move((kind, units), True) if units <= free else Move(None, False)
    if current is not None and current.kind is LedgerKind.CONSUME:
        return Move(None, True)
    needed = units - (current.units if current else 0)
    if needed > free:
        return Move(None, False)
    return Move((kind, units), True)
