"""The COB_ rules beyond their trip / no-trip cases: severities that depend on the payer, which prior
payer each rule looks at, and the other rules that step aside for a secondary's claim."""

from datetime import timedelta
from decimal import Decimal as D

from models.enums import PayerSequence, Severity
from tasks.scrubbing.engine import profiles, scrub_context
from tasks.scrubbing.render import render_alone
from tasks.x12.referee import pyx12_problems
from tests.tasks.scrubbing.cob_cases import THIRD_PAYER, _acme, medicare_paid, secondary_context
from tests.tasks.scrubbing.factory import DOS


def fired(ctx) -> dict[str, Severity]:  # noqa: ANN001
    return {f.rule_id: f.severity for f in scrub_context(ctx)[0]}


def _as_acme(ctx) -> None:  # noqa: ANN001
    """Bill Acme (a commercial supplement, no zero-balance claims) as the secondary instead of Medicaid."""
    ctx.payer = _acme()
    ctx.claim.payer_id = ctx.coverage.payer_id = THIRD_PAYER
    ctx.payers[THIRD_PAYER] = ctx.payer
    ctx.profile = profiles()["commercial_acme"]
    ctx.enrollments[0].payer_id = THIRD_PAYER
    ctx.lines[0].modifiers = []
    ctx.authorizations = []


def test_a_secondary_with_nothing_left_is_held_unless_the_payer_asks_for_zero_balance_claims() -> None:
    ctx = secondary_context()
    ctx.priors = {PayerSequence.PRIMARY: medicare_paid(patient_responsibility=D("0.00"))}
    assert fired(ctx)["COB_NOTHING_LEFT"] is Severity.WARN  # Medicaid wants it on file
    _as_acme(ctx)
    assert fired(ctx)["COB_NOTHING_LEFT"] is Severity.ERROR


def test_a_commercial_secondary_counts_from_the_prior_payers_remittance_only() -> None:
    ctx = secondary_context()
    _as_acme(ctx)
    paid_on = medicare_paid().adjudicated_on
    assert paid_on is not None
    ctx.today = paid_on + timedelta(days=71)
    assert "COB_TIMELY_FILING" not in fired(ctx)
    ctx.today = paid_on + timedelta(days=72)
    assert fired(ctx)["COB_TIMELY_FILING"] is Severity.WARN
    ctx.today = paid_on + timedelta(days=91)
    assert fired(ctx)["COB_TIMELY_FILING"] is Severity.ERROR
    assert "PAYER_TIMELY_FILING" not in fired(ctx)  # counted from the remittance, not from the date of service


def test_a_tertiary_after_a_crossover_is_not_held_for_the_primary_s_forwarding() -> None:
    ctx = secondary_context()
    ctx.claim.payer_sequence = PayerSequence.TERTIARY
    secondary = medicare_paid(sequence=PayerSequence.SECONDARY, status_code="2", claim_id=91)
    ctx.priors = {PayerSequence.PRIMARY: medicare_paid(status_code="19"), PayerSequence.SECONDARY: secondary}
    assert "COB_CROSSOVER_EXPECTED" not in fired(ctx)
    ctx.priors = {PayerSequence.PRIMARY: medicare_paid()}
    assert fired(ctx)["COB_PRIOR_NOT_ADJUDICATED"] is Severity.ERROR


def test_a_secondary_is_not_told_to_bill_the_primary_first() -> None:
    ctx = secondary_context()
    ctx.today = DOS + timedelta(days=400)
    found = fired(ctx)
    assert "PAT_COVERAGE_NOT_PRIMARY" not in found and "PAYER_TIMELY_FILING" not in found


def test_the_secondary_claim_renders_with_the_primary_s_adjudication_and_pyx12_accepts_it() -> None:
    text = render_alone(secondary_context())
    assert "SBR*S*18*******MC~" in text and "SBR*P*18*******MB~" in text
    assert "AMT*D*25.14~" in text and "SVD*SPAY01*25.14*HC:90853**1~" in text and "DTP*573*D8*20261126~" in text
    assert pyx12_problems(text) == []


def test_a_primary_claim_lists_the_secondary_payer_without_amounts() -> None:
    ctx = secondary_context()
    ctx.claim.payer_sequence = PayerSequence.PRIMARY
    medicare, medicaid = ctx.coverages
    ctx.coverage, ctx.claim.coverage_id, ctx.claim.payer_id = medicare, medicare.id, medicare.payer_id
    ctx.payer, ctx.priors = ctx.payers[medicare.payer_id], {}
    text = render_alone(ctx)
    assert "SBR*P*18*******MB~" in text and "SBR*S*18*******MC~" in text and "AMT*" not in text
    assert pyx12_problems(text) == []
