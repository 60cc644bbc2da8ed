"""How the sandbox payer adjudicates group claims: front-door checks (277CA) and payment (835).

Deterministic and pure: the same claims, roster and history always give the same answer.
Denials it knows: coverage not in force (CO-26/27), billed before the payer that pays first (CO-22),
past timely filing (CO-29, from the prior payer's adjudication for a secondary), carved out (CO-109),
not covered (CO-96),
rendering provider not eligible (CO-185/N290), no authorization (CO-197/M62), duplicate (OA-18/M86),
same-day psychotherapy edit (CO-97/M80, N20), visit limit (CO-119/N640). Otherwise it pays its
allowed amount with a contractual write-off (CO-45) and the member's share (PR-1/2/3); billed as
secondary or tertiary, it checks and pays after the prior payers (secondary.py).
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from models.identifiers import is_valid_npi
from tasks.clearinghouse.roster import Benefits, Member, RosterPayer
from tasks.clearinghouse.sandbox import secondary
from tasks.clearinghouse.sandbox.stored import Adjudicated
from tasks.x12 import claim837_model as x
from tasks.x12.remit835_model import Adjustment, ClaimPayment, ServicePayment

CENT = Decimal("0.01")
INDIVIDUAL_PSYCHOTHERAPY = frozenset({"90832", "90833", "90834", "90836", "90837", "90838", "90849"})
DISTINCT_MODIFIERS = frozenset({"59", "XE", "XS", "XP", "XU"})
PAID_STATUSES = frozenset({"1", "2", "3", "19", "20"})
FILING_835 = {"MB": "MB", "MC": "MC", "CI": "12", "BL": "12", "HM": "HM"}


@dataclass(frozen=True, slots=True)
class PriorLine:
    """A line the payer already adjudicated (kept by the sandbox across submissions)."""

    member_id: str
    service_date: date
    procedure: str
    modifiers: tuple[str, ...]
    rendering_npi: str
    patient_control_number: str
    paid: bool
    deductible: Decimal = Decimal(0)


@dataclass
class History:
    """What the payer has seen for the members of a batch; grows as the batch is adjudicated."""

    lines: list[PriorLine] = field(default_factory=list)
    claims: dict[str, Adjudicated] = field(default_factory=dict)  # what each payer paid, by its claim number
    _by_member: dict[str, list[PriorLine]] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        for line in self.lines:
            self._by_member.setdefault(line.member_id, []).append(line)

    def add(self, line: PriorLine) -> None:
        """Remember one more adjudicated line."""
        self.lines.append(line)
        self._by_member.setdefault(line.member_id, []).append(line)

    def for_member(self, member_id: str) -> list[PriorLine]:
        """Every earlier line of one member (indexed: a scan per claim made a batch quadratic)."""
        return list(self._by_member.get(member_id, ()))


@dataclass(frozen=True, slots=True)
class Decision:
    """The outcome for one claim: its front-door status and, if accepted, its payment."""

    accepted: bool
    status: tuple[str, str, str]  # STC01: category, status code, entity
    payment: ClaimPayment | None


def front_door(claim: x.Claim, payer: RosterPayer) -> tuple[str, str, str] | None:
    """The 277CA rejection a real front door would give (invalid member or NPI), or None."""
    if payer.member(claim.subscriber.member_id) is None:
        return ("A7", "97", "IL")
    if claim.rendering is not None and not is_valid_npi(claim.rendering.npi):
        return ("A7", "562", "82")
    if not is_valid_npi(claim.billing.npi):
        return ("A7", "562", "85")
    return None


def adjudicate(
    claim: x.Claim, payer: RosterPayer, history: History, received: date, *, forwarded: bool = False
) -> Decision:
    """Accept or reject one claim at the front door, then pay or deny it."""
    rejection = front_door(claim, payer) or secondary.door(claim, history.claims)
    if rejection is not None:
        return Decision(False, rejection, None)
    member = payer.member(claim.subscriber.member_id)
    if member is None:  # front_door rejects unknown members; this keeps the type checker honest
        return Decision(False, ("A7", "97", "IL"), None)
    denial = _denial(claim, payer, member, history, received, forwarded)
    if denial:
        payment = _deny(claim, *denial)
    elif secondary.after_others(claim):
        payment = _pay_after_others(claim, payer)
    else:
        payment = _pay(claim, payer, member, history)
    _remember(claim, member, payment, history)
    return Decision(True, ("A2", "20", "PR"), payment)


def _denial(
    claim: x.Claim, payer: RosterPayer, member: Member, history: History, received: date, forwarded: bool
) -> tuple[str, str, str] | None:
    """(group, CARC, RARC) of the first reason to deny, in the order a payer checks them."""
    day = claim.lines[0].service_date
    benefits = payer.benefits_of(member)
    rendering = claim.rendering.npi if claim.rendering else claim.billing.npi
    earlier = history.for_member(member.member_id)
    checks = (
        (day < member.plan_begin, ("CO", "26", "N30")),
        (member.plan_end is not None and day > member.plan_end, ("CO", "27", "N30")),
        (_too_early(claim, member), ("CO", "22", "MA04")),
        ((received - secondary.filed_from(claim)).days > payer.timely_filing_days, ("CO", "29", "N211")),
        (bool(benefits.carve_out_entity), ("CO", "109", "N418")),
        (not benefits.mental_health_covered, ("CO", "96", "N130")),
        (not payer.may_render(rendering, day), ("CO", "185", "N290")),
        # a claim Medicare forwarded carries no authorization of this payer's: crossovers are taken without one
        (benefits.auth_required and not claim.prior_authorization and not forwarded, ("CO", "197", "M62")),
        (_duplicate(claim, earlier, rendering), ("OA", "18", "M86")),
        (_same_day_conflict(claim, earlier, rendering), ("CO", "97", "M80 N20")),
        (_over_visit_limit(benefits, earlier), ("CO", "119", "N640")),
    )
    return next((reason for hit, reason in checks if hit), None)


def _too_early(claim: x.Claim, member: Member) -> bool:
    """Billed ahead of its place: this payer's own records say another payer pays before it (CARC 22)."""
    order = "PST"
    return order.index(claim.subscriber.responsibility or "P") < order.index(member.sequence)


def _duplicate(claim: x.Claim, earlier: list[PriorLine], rendering: str) -> bool:
    line = claim.lines[0]
    return any(
        p.service_date == line.service_date
        and p.procedure == line.procedure_code
        and p.modifiers == line.modifiers
        and p.rendering_npi == rendering
        and p.patient_control_number != claim.patient_control_number
        for p in earlier
    )


def _same_day_conflict(claim: x.Claim, earlier: list[PriorLine], rendering: str) -> bool:
    day = claim.lines[0].service_date
    lines = [(x.procedure_code, x.modifiers) for x in claim.lines]
    lines += [(p.procedure, p.modifiers) for p in earlier if p.service_date == day and p.rendering_npi == rendering]
    has_group = any(code == "90853" for code, _ in lines)
    return has_group and any(
        code in INDIVIDUAL_PSYCHOTHERAPY and not set(mods) & DISTINCT_MODIFIERS for code, mods in lines
    )


def _over_visit_limit(benefits: Benefits, earlier: list[PriorLine]) -> bool:
    if benefits.visit_limit is None:
        return False
    paid_visits = sum(1 for p in earlier if p.paid and p.procedure == "90853")
    return benefits.visits_used + paid_visits >= benefits.visit_limit


def _deny(claim: x.Claim, group: str, carc: str, rarc: str) -> ClaimPayment:
    """Deny every line in full; `rarc` holds one or more remark codes, space-separated."""
    lines = tuple(
        _service(line, Decimal(0), (Adjustment(group, carc, line.charge),), tuple(rarc.split()), None)
        for line in claim.lines
    )
    return _claim_payment(claim, "4", Decimal(0), Decimal(0), lines)


def _pay(claim: x.Claim, payer: RosterPayer, member: Member, history: History) -> ClaimPayment:
    benefits = payer.benefits_of(member)
    deductible_left = max(
        benefits.deductible_remaining - sum((p.deductible for p in history.for_member(member.member_id)), Decimal(0)),
        Decimal(0),
    )
    copay_left = benefits.copay
    lines, patient_share = [], Decimal(0)
    for line in claim.lines:
        allowed = min(payer.allowed_amounts.get(line.procedure_code, Decimal(0)), line.charge)
        copay = min(copay_left, allowed)
        deductible = min(deductible_left, allowed - copay)
        coinsurance = ((allowed - copay - deductible) * benefits.coinsurance).quantize(CENT, ROUND_HALF_UP)
        copay_left, deductible_left = copay_left - copay, deductible_left - deductible
        adjustments = [
            a
            for a in (
                Adjustment("CO", "45", line.charge - allowed),
                Adjustment("PR", "1", deductible),
                Adjustment("PR", "2", coinsurance),
                Adjustment("PR", "3", copay),
            )
            if a.amount
        ]
        share = copay + deductible + coinsurance
        patient_share += share
        lines.append(_service(line, allowed - share, tuple(adjustments), (), allowed))
    paid = sum((s.paid for s in lines), Decimal(0))
    return _claim_payment(claim, "1", paid, patient_share, tuple(lines))


def _pay_after_others(claim: x.Claim, payer: RosterPayer) -> ClaimPayment:
    """Pay after the prior payers: what its allowed amount leaves, at most what the patient was left."""
    lines = tuple(
        _service(line, pays, adjustments, (), None)
        for line, pays, adjustments in secondary.pay_after_others(claim, payer)
    )
    paid = sum((s.paid for s in lines), Decimal(0))
    patient = sum((a.amount for s in lines for a in s.adjustments if a.group == "PR"), Decimal(0))
    status = "2" if claim.subscriber.responsibility == "S" else "3"
    return _claim_payment(claim, status, paid, patient, lines)


def _service(
    line: x.ServiceLine,
    paid: Decimal,
    adjustments: tuple[Adjustment, ...],
    remarks: tuple[str, ...],
    allowed: Decimal | None,
) -> ServicePayment:
    return ServicePayment(
        line.procedure_code,
        line.charge,
        paid,
        Decimal(line.units),
        line.modifiers,
        line.service_date,
        line.control_number,
        adjustments,
        remarks,
        allowed,
    )


def _claim_payment(
    claim: x.Claim, status: str, paid: Decimal, patient: Decimal, lines: tuple[ServicePayment, ...]
) -> ClaimPayment:
    person = claim.patient.person if claim.patient else claim.subscriber.person
    return ClaimPayment(
        claim.patient_control_number,
        status,
        claim.charge,
        paid,
        patient,
        FILING_835.get(claim.subscriber.filing_indicator, "ZZ"),
        payer_claim_number(claim),
        claim.place_of_service,
        claim.frequency,
        person.last_name,
        person.first_name,
        claim.subscriber.member_id,
        (),
        lines,
    )


def payer_claim_number(claim: x.Claim) -> str:
    """The payer's own number for a claim (what a replacement's REF*F8 quotes)."""
    return f"{claim.subscriber.payer.payer_id}-{claim.patient_control_number}"


def _remember(claim: x.Claim, member: Member, payment: ClaimPayment, history: History) -> None:
    rendering = claim.rendering.npi if claim.rendering else claim.billing.npi
    for line, paid in zip(claim.lines, payment.lines, strict=True):
        deductible = sum((a.amount for a in paid.adjustments if (a.group, a.reason) == ("PR", "1")), Decimal(0))
        history.add(
            PriorLine(
                member.member_id,
                line.service_date,
                line.procedure_code,
                line.modifiers,
                rendering,
                claim.patient_control_number,
                payment.status_code in PAID_STATUSES,
                deductible,
            )
        )
