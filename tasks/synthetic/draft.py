"""The practice while defects are seeded into it: plain JSON-shaped dicts plus bookkeeping."""

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from models.enums import AttendanceStatus
from tasks.synthetic.manifest import Control, Expectation

Record = dict[str, Any]


def came(attendance: Record) -> bool:
    """The attendee did not stay away (absent or a no-show): booked, or there and billable."""
    return not AttendanceStatus(attendance["status"]).stayed_away


@dataclass
class Draft:
    """The practice while defects are being seeded into it (plain JSON-shaped dicts)."""

    rng: random.Random
    today: date
    bundle: Record
    roster: Record
    expectations: dict[tuple[str, str, str], Expectation] = field(default_factory=dict)
    controls: list[Control] = field(default_factory=list)
    used: set[str] = field(default_factory=set)  # patient IDs already hosting a defect
    scenarios: dict[str, int] = field(default_factory=dict)  # patient -> its case of tasks/synthetic/cob.py

    def payer_of(self, patient_id: str) -> str:
        return str(self.patient(patient_id)["coverages"][0]["payer_id"])

    def patient(self, patient_id: str) -> Record:
        return next(p for p in self.bundle["patients"] if p["id"] == patient_id)

    def held(self, program: str | None = None) -> list[Record]:
        return [
            s
            for s in self.bundle["sessions"]
            if s["status"] == "held" and (program is None or s["program_id"] == program)
        ]

    def claims(self, patient_id: str) -> Iterator[tuple[Record, Record]]:
        """(session, attendance) for every claim of a patient, in date order."""
        for s in sorted(self.held(), key=lambda s: (s["date"], s["id"])):
            for a in s["attendance"]:
                if a["patient_id"] == patient_id and came(a):
                    yield s, a

    def pick(
        self, *, payer: str | None = None, program: str | None = None, when: Callable[[Record], bool] = lambda s: True
    ) -> tuple[Record, Record]:
        """A random unused attendee claim matching the filters; marks the patient used."""
        candidates = [
            (s, a)
            for s in self.held(program)
            if when(s)
            for a in s["attendance"]
            if came(a)
            and a["patient_id"] not in self.used
            and (payer is None or self.payer_of(a["patient_id"]) == payer)
        ]
        if not candidates:
            raise ValueError(f"no unused claim for a defect (payer={payer}, program={program})")
        session, attendance = self.rng.choice(candidates)
        self.used.add(attendance["patient_id"])
        return session, attendance

    def pick_patient(self, *, payer: str | None = None, min_claims: int = 1, after: date | None = None) -> str:
        """A random unused patient with at least `min_claims` claims (dated after `after`, if given)."""
        members = sorted({a["patient_id"] for s in self.held() for a in s["attendance"]})
        since = (after or date.min).isoformat()
        candidates = [
            p
            for p in members
            if p not in self.used
            and (payer is None or self.payer_of(p) == payer)
            and sum(s["date"] > since for s, _ in self.claims(p)) >= min_claims
        ]
        if not candidates:
            raise ValueError(f"no unused patient for a defect (payer={payer})")
        chosen: str = self.rng.choice(candidates)
        self.used.add(chosen)
        return chosen

    def expect(
        self,
        session: Record,
        patient_id: str,
        rules: list[str],
        defect: str,
        *,
        sequence: str = "P",
        after_remittance: bool = False,
    ) -> None:
        key = (session["id"], patient_id, sequence)
        entry = self.expectations.setdefault(
            key,
            Expectation(
                session_id=key[0],
                patient_id=key[1],
                rules=[],
                defects=[],
                sequence=sequence,
                after_remittance=after_remittance,
            ),
        )
        entry.rules = sorted(set(entry.rules) | set(rules))
        entry.defects.append(defect)

    def control(self, session: Record, patient_id: str, rule: str, why: str) -> None:
        self.controls.append(Control(session_id=session["id"], patient_id=patient_id, rule=rule, why=why))

    def roster_member(self, patient_id: str) -> Record:
        coverage = self.patient(patient_id)["coverages"][0]
        payer = next(p for p in self.roster["payers"] if p["source_id"] == coverage["payer_id"])
        return next(m for m in payer["members"] if m["member_id"] == coverage["member_id"])
