"""The ledger in the database: append entries under a lock on the authorization, read balances."""

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from models.clock import utcnow
from models.db import insert_rows
from models.enums import LedgerKind
from models.patients import AuthLedgerEntry, Authorization
from models.plain import plain_rows
from models.types import db_id
from tasks.preauth.ledger import Balance, balance, holdings, plan


def record(session: Session, authorization_id: int, claim_id: int, kind: LedgerKind, units: int, source: str) -> bool:
    """Reserve, consume or release units for a claim; False when the authorization cannot cover them.

    The authorization row is locked first (SELECT ... FOR UPDATE on PostgreSQL; SQLite serialises
    writers), so two workers cannot both take the last unit.
    """
    auth = session.exec(select(Authorization).where(Authorization.id == authorization_id).with_for_update()).one()
    entries = list(
        session.exec(
            select(AuthLedgerEntry)
            .where(AuthLedgerEntry.authorization_id == authorization_id)
            .order_by(col(AuthLedgerEntry.id))
        )
    )
    move = plan(auth.units_authorized, entries, claim_id, kind, units)
    if move.entry is not None:
        entry_kind, entry_units = move.entry
        session.add(
            AuthLedgerEntry(
                authorization_id=authorization_id, claim_id=claim_id, kind=entry_kind, units=entry_units, source=source
            )
        )
        session.flush()
    return move.granted


def balances(session: Session, authorizations: list[Authorization]) -> dict[int, Balance]:
    """The balance of each authorization, from its ledger."""
    ids = [db_id(a.id) for a in authorizations]
    entries: dict[int, list[AuthLedgerEntry]] = defaultdict(list)
    for entry in session.exec(
        select(AuthLedgerEntry).where(col(AuthLedgerEntry.authorization_id).in_(ids)).order_by(col(AuthLedgerEntry.id))
    ):
        entries[entry.authorization_id].append(entry)
    return {db_id(a.id): balance(a.units_authorized, entries[db_id(a.id)]) for a in authorizations}


Settlement = tuple[int, int | None, int, int | None, int | None]
"""(claim, reserve on auth, units, release from auth, the claim it corrects) for `settle`."""


def settle(session: Session, items: list[Settlement], source: str) -> set[int]:
    """Reserve and release for a batch of claims in order. A correction may reserve what the claim it
    corrects holds (see `plan`).

    Locks every authorization involved once, replays each ledger once, and returns the claims whose
    reservation the ledger refused (no units left).
    """
    auth_ids = sorted({a for _, reserve, _, release, _ in items for a in (reserve, release) if a is not None})
    if not auth_ids:
        return set()
    auths, entries = _locked_ledgers(session, auth_ids)
    refused = set()
    new: list[dict[str, Any]] = []
    for claim_id, reserve, units, release, replaces in items:
        for auth_id, kind in ((release, LedgerKind.RELEASE), (reserve, LedgerKind.RESERVE)):
            if auth_id is None:
                continue
            move = plan(auths[auth_id], entries[auth_id], claim_id, kind, units, replaces)
            if not move.granted:
                refused.add(claim_id)
            elif move.entry is not None:
                new.append(_append(entries[auth_id], auth_id, claim_id, move.entry, source))
    insert_rows(session, AuthLedgerEntry, new)  # one multi-row insert, not a model object per entry
    return refused


def follow_claims(session: Session, claims: list[tuple[int, int]], kind: LedgerKind, source: str) -> int:
    """Consume (on submission) or release (on rejection, void, or a denial that returns units) what each
    (claim, authorization) holds. A claim holding nothing is left alone; returns the entries appended."""
    auth_ids = sorted({auth_id for _, auth_id in claims})
    if not auth_ids:
        return 0
    auths, entries = _locked_ledgers(session, auth_ids)
    new: list[dict[str, Any]] = []
    for claim_id, auth_id in claims:
        held = holdings(entries[auth_id]).get(claim_id)
        if held is None:
            continue
        move = plan(auths[auth_id], entries[auth_id], claim_id, kind, held.units)
        if move.entry is not None:
            new.append(_append(entries[auth_id], auth_id, claim_id, move.entry, source))
    insert_rows(session, AuthLedgerEntry, new)  # one multi-row insert, not a model object per entry
    return len(new)


@dataclass(frozen=True, slots=True)
class _Pending:
    """A ledger entry decided in this batch, for the replay of the entries after it (inserted at the end)."""

    claim_id: int
    kind: LedgerKind
    units: int


def _append(
    entries: list[Any], auth_id: int, claim_id: int, entry: tuple[LedgerKind, int], source: str
) -> dict[str, Any]:
    """Add the decided entry to the replayed ledger; its row for the insert."""
    entries.append(_Pending(claim_id, *entry))
    return {
        "authorization_id": auth_id,
        "claim_id": claim_id,
        "kind": entry[0],
        "units": entry[1],
        "occurred_at": utcnow(),
        "source": source,
    }


def _locked_ledgers(session: Session, auth_ids: list[int]) -> tuple[dict[int, int], dict[int, list[Any]]]:
    """Lock these authorizations (in ID order, so workers never deadlock) and read their ledgers once:
    units authorized by authorization, and each one's entries as plain rows (columns, no mapped objects)."""
    query = (
        select(col(Authorization.id), Authorization.units_authorized)
        .where(col(Authorization.id).in_(auth_ids))
        .order_by(col(Authorization.id))
        .with_for_update()
    )
    authorized = {db_id(auth_id): units for auth_id, units in session.exec(query)}
    entries: dict[int, list[Any]] = defaultdict(list)
    criteria = col(AuthLedgerEntry.authorization_id).in_(auth_ids)
    for entry in plain_rows(session, AuthLedgerEntry, criteria, order_by=(AuthLedgerEntry.id,)):
        entries[entry.authorization_id].append(entry)
    return authorized, entries
