"""Contexts for the COB_ rules: a dual-eligible patient (Medicare primary, Medicaid secondary) whose
Medicaid claim follows Medicare's posted 835, and one case per rule that trips it and one that
narrowly does not (test_rules.py runs them with every other rule's)."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal as D

from models.enums import PayerSequence, Relationship
from models.patients import Coverage
from models.practice import Payer
from tasks.cob.prior import Dispute, PriorAdjudication, PriorLine
from tasks.scrubbing.context import ClaimContext
from tasks.scrubbing.engine import profiles
from tasks.x12.claim837_model import Cas
from tests.tasks.scrubbing.factory import DOS, PATIENT, PAYER, auth, context

MEDICAID_PAYER, MEDICAID_COVERAGE, THIRD_PAYER = 23, 43, 24
PAID_ON = date(2026, 11, 26)


def _medicaid() -> Payer:
    return Payer(
        id=MEDICAID_PAYER,
        practice_id=1,
        source_id="MCD",
        name="Prairie State Medicaid",
        x12_payer_id="SMCD01",
        claim_filing_indicator="MC",
        profile="state_medicaid",
    )


def _acme() -> Payer:
    return Payer(
        id=THIRD_PAYER,
        practice_id=1,
        source_id="ACME",
        name="Acme Health Plan",
        x12_payer_id="SACME1",
        claim_filing_indicator="CI",
        profile="commercial_acme",
    )


def medicare_paid(**changes: object) -> PriorAdjudication:
    """Medicare's standing 835 for the service: 25.14 paid, 6.28 coinsurance left, balanced."""
    line = PriorLine(
        1, "90853", (), D("75.00"), D("25.14"), D(1), (Cas("CO", "45", D("43.58")), Cas("PR", "2", D("6.28")))
    )
    fields: dict[str, object] = {
        "sequence": PayerSequence.PRIMARY,
        "claim_id": 90,
        "coverage_id": 41,
        "payer_id": PAYER,
        "status_code": "1",
        "charge": D("75.00"),
        "paid": D("25.14"),
        "patient_responsibility": D("6.28"),
        "payer_claim_number": "SPAY01-GB0000000090",
        "adjudicated_on": PAID_ON,
        "lines": (line,),
    }
    fields.update(changes)
    return PriorAdjudication(**fields)  # type: ignore[arg-type]


def secondary_context() -> ClaimContext:
    """Medicaid billed second after Medicare paid; everything in order (fires nothing)."""
    ctx = context("state_medicaid", authorizations=[auth(payer_id=MEDICAID_PAYER)])
    medicare = ctx.coverage
    medicaid = Coverage(
        id=MEDICAID_COVERAGE,
        practice_id=1,
        source_id="C43",
        patient_id=PATIENT,
        payer_id=MEDICAID_PAYER,
        member_id="PSM4481720",
        relationship=Relationship.SELF,
        priority=2,
    )
    ctx.claim.coverage_id, ctx.claim.payer_id = MEDICAID_COVERAGE, MEDICAID_PAYER
    ctx.claim.payer_sequence, ctx.claim.prior_claim_id = PayerSequence.SECONDARY, 90
    ctx.lines[0].modifiers = ["HQ", "AJ"]
    ctx.enrollments[0].payer_id = MEDICAID_PAYER
    medicare_payer = ctx.payer
    ctx.coverage, ctx.coverages, ctx.payer = medicaid, [medicare, medicaid], _medicaid()
    ctx.payers = {PAYER: medicare_payer, MEDICAID_PAYER: ctx.payer}
    ctx.profile = profiles()["state_medicaid"]
    ctx.priors = {PayerSequence.PRIMARY: medicare_paid()}
    return ctx


def _set(obj: object, **values: object) -> None:
    for name, value in values.items():
        setattr(obj, name, value)


def _prior(ctx: ClaimContext, **changes: object) -> None:
    ctx.priors = {PayerSequence.PRIMARY: medicare_paid(**changes)}


def _third(ctx: ClaimContext, priority: int, **coverage: object) -> None:
    """Add a commercial coverage at `priority` (the clean secondary context has two)."""
    fields: dict[str, object] = {
        "id": 44,
        "practice_id": 1,
        "source_id": "C44",
        "patient_id": PATIENT,
        "payer_id": THIRD_PAYER,
        "member_id": "W123456789",
        "relationship": Relationship.SELF,
        "priority": priority,
    }
    fields.update(coverage)
    ctx.coverages.append(Coverage(**fields))  # type: ignore[arg-type]
    ctx.payers[THIRD_PAYER] = _acme()


def _dispute(ctx: ClaimContext, order: tuple[int, ...]) -> None:
    ctx.disputes = [Dispute(77, MEDICAID_PAYER, PayerSequence.SECONDARY, DOS, order)]


def _medicare_second(ctx: ClaimContext, msp_type: str | None) -> None:
    """Acme pays first, Medicare second (working aged), Medicaid third."""
    medicare, medicaid = ctx.coverages
    _set(medicare, priority=2, msp_type=msp_type)
    medicaid.priority = 3
    _third(ctx, 1)


def _split(contractual: str, coinsurance: str) -> tuple[PriorLine]:
    """Medicare's line with its CO-45 and PR-2 as given (75.00 balances: 25.14 + 43.58 + 6.28)."""
    line = medicare_paid().lines[0]
    return (replace(line, adjustments=(Cas("CO", "45", D(contractual)), Cas("PR", "2", D(coinsurance)))),)


COB_CASES: dict[str, tuple] = {
    "COB_PRIOR_NOT_ADJUDICATED": (
        "secondary",
        lambda c: _set(c, priors={}),
        lambda c: None,
    ),
    "COB_CROSSOVER_EXPECTED": (
        "secondary",
        lambda c: _prior(c, status_code="19"),
        lambda c: _prior(c, status_code="1", remarks=("MA01",)),
    ),
    "COB_OUT_OF_BALANCE": (
        "secondary",
        lambda c: _prior(c, lines=_split("43.57", "6.28")),
        lambda c: _prior(c, lines=_split("43.57", "6.29"), patient_responsibility=D("6.29")),
    ),
    "COB_ORDER_DISPUTED": (
        "secondary",
        lambda c: _dispute(c, (41, MEDICAID_COVERAGE)),
        lambda c: _dispute(c, (MEDICAID_COVERAGE, 41)),
    ),
    "COB_MEDICAID_NOT_LAST": (
        "secondary",
        lambda c: _third(c, 3),
        lambda c: _third(c, 1, termination_date=DOS - timedelta(days=1)),
    ),
    "COB_NOTHING_LEFT": (  # Medicaid asks for zero-balance claims: a warning; see test_cob_rules for the hold
        "secondary",
        lambda c: _prior(c, patient_responsibility=D("0.00")),
        lambda c: _prior(c, patient_responsibility=D("0.01")),
    ),
    "COB_OTHER_SUBSCRIBER_INCOMPLETE": (
        "secondary",
        lambda c: _set(c.coverages[0], relationship=Relationship.SPOUSE),
        lambda c: _set(
            c.coverages[0], relationship=Relationship.SPOUSE, subscriber_first_name="Al", subscriber_last_name="Doe"
        ),
    ),
    "COB_TIMELY_FILING": (  # Medicaid: 90 days from Medicare's remittance or 180 from service, whichever is later
        "secondary",
        lambda c: _set(c, today=DOS + timedelta(days=181)),
        lambda c: _set(c, today=DOS + timedelta(days=180)),
    ),
    "COB_MSP_TYPE_MISSING": (
        "secondary",
        lambda c: _medicare_second(c, None),
        lambda c: _medicare_second(c, "12"),
    ),
}
