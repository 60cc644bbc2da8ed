"""The sandbox payers' own truth: who is a member, with what plan and benefits.

It is kept apart from the practice's bundle on purpose: the practice can be wrong about a
patient (a terminated plan it never heard of, a mistyped member ID), as in real life.
"""

import datetime as dt
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Benefits(_Strict):
    """Mental-health outpatient benefits of a plan (what a 271 reports)."""

    copay: Decimal = Decimal("0.00")
    coinsurance: Decimal = Decimal("0.00")
    deductible: Decimal = Decimal("0.00")
    deductible_remaining: Decimal = Decimal("0.00")
    visit_limit: int | None = None
    visits_used: int = 0
    auth_required: bool = False
    mental_health_covered: bool = True
    carve_out_entity: str | None = None


class NextPayer(_Strict):
    """Who pays after this payer for a member, as the payer's own coordination file says."""

    payer_id: str  # X12 payer ID
    member_id: str


# How the payer's 835 for a member comes out (real payers' habits the practice must cope with):
# unbalanced: the line's contractual write-off is left out, so the 835 does not balance;
# late: the remittance is dated 100 days before it reaches the practice;
# reversed: a later 835 takes the payment back (CLP02 22);
# reprocessed_as_crossover: a later 835 reverses it and says the claim was forwarded (19, MA18), and the
# next payer's own 835 does not come for weeks.
# Claims that go quiet (a 276 then tells what happened): claim_lost: the payer never records the claim (no 277CA,
# no 835; asked, it answers A4 not found); remittance_lost: the payer adjudicates and pays, but its 835 never
# arrives (asked: F1 paid, or F2 denied); pended: the payer holds the claim (P1); info_requested: the payer
# waits for documents (R4 supporting documentation). None of the last three sends an 835.
Remittance = Literal[
    "as_adjudicated",
    "unbalanced",
    "late",
    "reversed",
    "reprocessed_as_crossover",
    "claim_lost",
    "remittance_lost",
    "pended",
    "info_requested",
]
NO_REMITTANCE = frozenset({"remittance_lost", "pended", "info_requested"})


class Member(_Strict):
    """One person the payer knows, under the payer's own member ID."""

    member_id: str
    first_name: str
    last_name: str
    birth_date: dt.date
    plan_begin: dt.date
    plan_end: dt.date | None = None
    group_number: str | None = None
    benefits: Benefits | None = None
    sequence: Literal["P", "S", "T"] = "P"  # where this payer places itself in the member's payer order
    next_payer: NextPayer | None = None  # the payer after it, when its coordination file knows one
    remittance: Remittance = "as_adjudicated"

    def covers(self, day: dt.date) -> bool:
        """True when the plan is in force on `day`."""
        return self.plan_begin <= day and (self.plan_end is None or day <= self.plan_end)


class RosterPayer(_Strict):
    """A payer as the sandbox simulates it."""

    source_id: str
    x12_payer_id: str
    name: str
    kind: str
    allowed_amounts: dict[str, Decimal]
    benefits: Benefits
    rendering_npis: list[str] = Field(default_factory=list)
    rendering_from: dict[str, dt.date] = Field(default_factory=dict)
    timely_filing_days: int = 365
    members: list[Member] = Field(default_factory=list)

    def may_render(self, npi: str, day: dt.date) -> bool:
        """True when the payer accepts this rendering clinician on `day`."""
        return npi in self.rendering_npis and self.rendering_from.get(npi, dt.date.min) <= day

    _index: dict[str, Member] | None = PrivateAttr(default=None)

    def member(self, member_id: str | None) -> Member | None:
        """The member with this ID, if the payer knows them (the first listed, if listed twice)."""
        if not member_id:
            return None
        if self._index is None:  # a scan per lookup made a night of N claims cost N x members
            self._index = {}
            for m in self.members:
                self._index.setdefault(m.member_id, m)
        return self._index.get(member_id)

    def benefits_of(self, member: Member) -> Benefits:
        """The member's own benefits where the roster gives them, else the plan's (field by field)."""
        if member.benefits is None:
            return self.benefits
        return self.benefits.model_copy(update=member.benefits.model_dump(exclude_unset=True))


class Crossover(_Strict):
    """A payer pair with a crossover agreement: `source` forwards processed claims to `target` itself."""

    source: str  # X12 payer IDs
    target: str


class Roster(_Strict):
    """Every sandbox payer's truth, as written next to a synthetic practice."""

    seed: int
    today: dt.date
    payers: list[RosterPayer]
    crossovers: list[Crossover] = Field(default_factory=list)

    def forwards(self, source: str, target: str) -> bool:
        """True when `source` forwards claims to `target` itself (a crossover agreement)."""
        return any(c.source == source and c.target == target for c in self.crossovers)

    def payer(self, x12_payer_id: str) -> RosterPayer | None:
        """The sandbox payer with this X12 payer ID."""
        return next((p for p in self.payers if p.x12_payer_id == x12_payer_id), None)
