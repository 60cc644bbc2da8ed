"""Everything a rule may look at for one claim, gathered once per batch (see loader.py)."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, tzinfo

from config.profiles import PayerProfile
from models.claims import Claim, ClaimLine
from models.clock import local_date
from models.enums import ClaimStatus, PayerSequence
from models.exchange import EligibilityCheck
from models.patients import Authorization, Coverage, Patient, TreatmentPlan
from models.practice import Payer, PayerEnrollment, Practice, Provider, ProviderLicense
from models.sessions import Attendance, GroupSession, OtherService, ProgressNote
from tasks.cob.order import payer_order
from tasks.cob.prior import Dispute, PriorAdjudication
from tasks.cob.x12_values import NONE, OtherPayers, other_payers

DEAD_STATUSES = frozenset({ClaimStatus.REJECTED, ClaimStatus.VOIDED, ClaimStatus.CORRECTED})


@dataclass(frozen=True)
class OtherClaim:
    """Another claim of the same patient (for same-day, duplicate and frequency edits)."""

    claim_id: int
    session_id: int
    payer_id: int
    member_id: str | None
    service_date: date
    status: ClaimStatus
    rendering_provider_id: int | None
    billing_practice_id: int
    codes: tuple[tuple[str, tuple[str, ...], int], ...]  # (cpt, modifiers, units)
    start: time | None = None
    end: time | None = None
    attendance_id: int | None = None

    def has(self, cpt: str) -> bool:
        """True when a line bills `cpt`."""
        return any(code == cpt for code, _, _ in self.codes)


@dataclass
class ClaimContext:
    """One claim and what it depends on (plain copies); coding sets the claim's place of service and its
    lines' modifiers, rules only read."""

    claim: Claim
    lines: list[ClaimLine]
    session: GroupSession
    attendance: Attendance
    note: ProgressNote | None
    patient: Patient
    coverage: Coverage
    payer: Payer
    profile: PayerProfile | None
    practice: Practice
    rendering: Provider | None
    today: date
    zone: tzinfo  # the practice's time zone: where a timestamp's date is read
    licenses: list[ProviderLicense] = field(default_factory=list)
    enrollments: list[PayerEnrollment] = field(default_factory=list)
    billing_enrollments: list[PayerEnrollment] = field(default_factory=list)
    leader_ids: frozenset[int] = frozenset()
    plans: list[TreatmentPlan] = field(default_factory=list)
    coverages: list[Coverage] = field(default_factory=list)
    authorizations: list[Authorization] = field(default_factory=list)
    # per authorization, the units each claim holds in its ledger (reserved or consumed), as the ledger
    # and `groupbill auths list` count them: a held or drafted claim holds none
    auth_holdings: dict[int, dict[int, int]] = field(default_factory=dict)
    eligibility: EligibilityCheck | None = None
    other_services: list[OtherService] = field(default_factory=list)
    other_claims: list[OtherClaim] = field(default_factory=list)
    attended_count: int = 0
    authorization_number: str | None = None
    original_payer_claim_number: str | None = None
    x12_problems: list[str] | None = None  # filled for a whole batch at once; None: render this claim alone
    changed_lines: list[ClaimLine] = field(default_factory=list)  # lines whose modifiers coding changed
    now: datetime | None = None
    payers: dict[int, Payer] = field(default_factory=dict)  # the payers of the patient's coverages, by ID
    priors: dict[PayerSequence, PriorAdjudication] = field(default_factory=dict)  # what the payers before did
    disputes: list[Dispute] = field(default_factory=list)  # the patient's claims denied with CARC 22
    _live: list[OtherClaim] | None = field(default=None, repr=False)
    _day: date | None = field(default=None, repr=False)
    _order: list[Coverage] | None = field(default=None, repr=False)
    _others: OtherPayers | None = field(default=None, repr=False)

    @property
    def service_date(self) -> date:
        """The date of service (read once: rules ask for it often)."""
        if self._day is None:
            self._day = self.claim.service_date
        return self._day

    @property
    def order(self) -> list[Coverage]:
        """The coverages in force on the date of service, in the order they pay."""
        if self._order is None:
            self._order = payer_order(self.coverages, self.service_date)
        return self._order

    @property
    def sequence(self) -> PayerSequence:
        """Which payer of the service this claim bills (primary, secondary, tertiary)."""
        return self.claim.payer_sequence

    def payer_of(self, coverage: Coverage) -> Payer | None:
        """The payer of one of the patient's coverages."""
        return self.payer if coverage.payer_id == self.payer.id else self.payers.get(coverage.payer_id)

    def other_payers(self) -> OtherPayers:
        """The claim's other payers as its 837P lists them (2320 loops, each line's 2430 loops)."""
        if self._others is None:
            multiple = len(self.coverages) > 1 or self.sequence is not PayerSequence.PRIMARY
            self._others = (
                other_payers(
                    self.claim,
                    self.order,
                    coverages={c.id or 0: c for c in self.coverages},
                    payers={**self.payers, self.payer.id or 0: self.payer},
                    patient=self.patient,
                    priors=self.priors,
                )
                if multiple
                else NONE
            )
        return self._others

    def local_date(self, moment: datetime) -> date:
        """The practice's calendar date of a stored (UTC) timestamp: 23:30 local stays that day."""
        return local_date(moment, self.zone)

    def codes(self) -> list[str]:
        """The CPT codes billed on this claim, line by line."""
        return [line.cpt_code for line in self.lines]

    def earlier(self, other: OtherClaim) -> bool:
        """True when `other` comes before this claim in billing order (date, then ID)."""
        return (other.service_date, other.claim_id) < (self.service_date, self.claim.id or 0)

    def live_others(self) -> list[OtherClaim]:
        """Other claims of the patient that still count (not rejected, voided or corrected)."""
        if self._live is None:
            self._live = [c for c in self.other_claims if c.status not in DEAD_STATUSES]
        return self._live
