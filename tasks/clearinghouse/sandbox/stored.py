"""What each sandbox payer paid, kept by its claim number: a secondary claim's 2320/2430 must repeat it
exactly, and the next payer adjudicates against it."""

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from tasks.x12 import remit835_model as r


@dataclass(frozen=True, slots=True)
class Adjudicated:
    """One payer's adjudication of one claim, as its 835 said it."""

    payer_id: str
    paid_on: date
    payment: r.ClaimPayment


def _adjustment(a: r.Adjustment) -> list[str]:
    return [a.group, a.reason, str(a.amount)]


def to_json(p: r.ClaimPayment) -> str:
    """The claim payment as JSON (what the sandbox needs to check and pay a secondary)."""
    lines = [
        {
            "procedure": x.procedure_code,
            "modifiers": list(x.modifiers),
            "charge": str(x.charge),
            "paid": str(x.paid),
            "units": str(x.units),
            "control": x.line_control_number,
            "adjustments": [_adjustment(a) for a in x.adjustments],
            "remarks": list(x.remarks),
        }
        for x in p.lines
    ]
    head = [p.patient_control_number, p.status_code, str(p.charge), str(p.paid), str(p.patient_responsibility)]
    claim = {"head": head, "number": p.payer_claim_number, "adjustments": [_adjustment(a) for a in p.adjustments]}
    return json.dumps(claim | {"remarks": list(p.remarks), "lines": lines})


def from_json(text: str) -> r.ClaimPayment:
    """The claim payment back from `to_json`."""
    data: dict[str, Any] = json.loads(text)
    pcn, status, charge, paid, patient = data["head"]

    def adjustments(rows: list[list[str]]) -> tuple[r.Adjustment, ...]:
        return tuple(r.Adjustment(g, reason, Decimal(a)) for g, reason, a in rows)

    lines = tuple(
        r.ServicePayment(
            x["procedure"],
            Decimal(x["charge"]),
            Decimal(x["paid"]),
            Decimal(x["units"]),
            tuple(x["modifiers"]),
            None,
            x["control"],
            adjustments(x["adjustments"]),
            tuple(x["remarks"]),
        )
        for x in data["lines"]
    )
    return r.ClaimPayment(
        pcn,
        status,
        Decimal(charge),
        Decimal(paid),
        Decimal(patient),
        "",
        data["number"],
        adjustments=adjustments(data["adjustments"]),
        lines=lines,
        remarks=tuple(data["remarks"]),
    )


def read_adjudicated(db: sqlite3.Connection, numbers: Iterable[str]) -> dict[str, Adjudicated]:
    """The stored adjudications with these payer claim numbers."""
    wanted = sorted(set(numbers))
    if not wanted:
        return {}
    marks = ",".join("?" * len(wanted))
    rows = db.execute(
        f"SELECT payer_claim_number, payer_id, paid_on, payment FROM adjudicated_claim "
        f"WHERE payer_claim_number IN ({marks})",
        wanted,
    ).fetchall()
    return {n: Adjudicated(payer, date.fromisoformat(day), from_json(p)) for n, payer, day, p in rows}


def record_adjudicated(db: sqlite3.Connection, claims: Iterable[Adjudicated]) -> None:
    """Remember adjudications (a payer's later reprocessing replaces its earlier one)."""
    db.executemany(
        "INSERT OR REPLACE INTO adjudicated_claim VALUES (?, ?, ?, ?)",
        [(a.payment.payer_claim_number, a.payer_id, a.paid_on.isoformat(), to_json(a.payment)) for a in claims],
    )
