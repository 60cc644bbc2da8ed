"""COB_: coordination of benefits. The payer order is checked before the first claim leaves; a claim to
the second or third payer needs every prior payer's 835, balanced, and no crossover or order dispute."""

from collections.abc import Iterator

from pydantic import Field

from models.enums import PayerSequence, Relationship, Severity
from models.patients import Coverage
from tasks.cob.order import is_medicaid, is_medicare, order_ids, payer_order
from tasks.cob.prior import PriorAdjudication
from tasks.cob.timely import secondary_deadline
from tasks.scrubbing.context import ClaimContext
from tasks.scrubbing.registry import NoParams, Params, rule

_NAMES = {PayerSequence.PRIMARY: "primary", PayerSequence.SECONDARY: "secondary", PayerSequence.TERTIARY: "tertiary"}


def _before(ctx: ClaimContext) -> PriorAdjudication | None:
    """The standing adjudication of the payer just before this claim's (None for a primary claim)."""
    if ctx.sequence is PayerSequence.PRIMARY:
        return None
    return ctx.priors.get(PayerSequence.at(ctx.sequence.rank - 1))


def _name(ctx: ClaimContext, coverage: Coverage) -> str:
    payer = ctx.payer_of(coverage)
    return payer.name if payer else f"payer {coverage.payer_id}"


@rule(
    "COB_PRIOR_NOT_ADJUDICATED",
    Severity.ERROR,
    "A claim to a payer of sequence S or T has no posted 835 adjudication from every payer before it (in the payer "
    "order as it stands).",
)
def prior_not_adjudicated(ctx: ClaimContext, _: NoParams) -> Iterator[str]:
    missing = [_NAMES[s] for s in PayerSequence if s.rank < ctx.sequence.rank and s not in ctx.priors]
    if missing:
        yield (
            f"No standing 835 from the {' and '.join(missing)} payer for this service (not posted yet, or reversed): "
            f"wait for its remittance before billing {ctx.payer.name}."
        )
    for prior, now in _replaced_priors(ctx):
        payer = ctx.payers.get(prior.payer_id)
        yield (
            f"{payer.name if payer else f'payer {prior.payer_id}'} adjudicated this service as the "
            f"{_NAMES[prior.sequence]} payer (claim {prior.claim_id}), but the payer order now puts "
            f"{_name(ctx, now)} there: void or correct claim {prior.claim_id} and bill {_name(ctx, now)} first."
        )


def _replaced_priors(ctx: ClaimContext) -> Iterator[tuple[PriorAdjudication, Coverage]]:
    """Each prior adjudication whose coverage is no longer at its place in the payer order, with the one there now
    (the order changed after that payer answered: what it said is not the adjudication of the payer before)."""
    order = ctx.order
    for sequence, prior in sorted(ctx.priors.items(), key=lambda item: item[0].rank):
        if sequence.rank < min(ctx.sequence.rank, len(order)) and order[sequence.rank].id != prior.coverage_id:
            yield prior, order[sequence.rank]


@rule(
    "COB_CROSSOVER_EXPECTED",
    Severity.ERROR,
    "The prior payer's 835 says it forwarded the claim (CLP02 19, 20 or 21, MA18, N89): billing it is a duplicate.",
)
def crossover_expected(ctx: ClaimContext, _: NoParams) -> Iterator[str]:
    prior = _before(ctx)
    if prior is not None and prior.crossed_over:
        yield (
            f"The prior payer forwarded this claim to the next payer itself (835 CLP02 {prior.status_code}): "
            f"wait for {ctx.payer.name}'s own remittance; billing it too is a duplicate (OA-18)."
        )


@rule(
    "COB_OUT_OF_BALANCE",
    Severity.ERROR,
    "Per line, charge != prior paid (SVD02) + line CAS; per claim, charge != AMT*D + all adjustments; or sum SVD02 "
    "!= AMT*D.",
)
def out_of_balance(ctx: ClaimContext, _: NoParams) -> Iterator[str]:
    if ctx.sequence is PayerSequence.PRIMARY or not ctx.priors:
        return
    from tasks.scrubbing.render import claim_of
    from tasks.x12.cob_balance import other_payer_imbalances

    for problem in other_payer_imbalances(claim_of(ctx))[:3]:
        yield f"The prior payer's adjudication does not balance against this claim: {problem}."


@rule(
    "COB_ORDER_DISPUTED",
    Severity.ERROR,
    "A payer denied the service with CARC 22 (another payer pays first) and the coverage order has not changed since.",
)
def order_disputed(ctx: ClaimContext, _: NoParams) -> Iterator[str]:
    for dispute in ctx.disputes:
        if dispute.claim_id == ctx.claim.id or dispute.payer_id != ctx.claim.payer_id:
            continue
        if dispute.sequence is not ctx.sequence:
            continue
        if tuple(order_ids(payer_order(ctx.coverages, dispute.service_date))) == dispute.coverage_order:
            yield (
                f"{ctx.payer.name} denied claim {dispute.claim_id} with CARC 22 (another payer pays first) and the "
                "coverages' order has not changed since: correct which coverage pays first, then it is billed again."
            )
            return


@rule(
    "COB_MEDICAID_NOT_LAST",
    Severity.ERROR,
    "A Medicaid coverage is billed before another coverage active on the date of service (Medicaid pays last).",
)
def medicaid_not_last(ctx: ClaimContext, _: NoParams) -> Iterator[str]:
    order = ctx.order
    for rank, coverage in enumerate(order[:-1]):
        later = [c for c in order[rank + 1 :] if not is_medicaid(ctx.payer_of(c))]
        if is_medicaid(ctx.payer_of(coverage)) and later:
            yield (
                f"{_name(ctx, coverage)} (Medicaid) comes before {_name(ctx, later[0])} in the payer order: Medicaid "
                "pays last; correct the coverages' priority."
            )
            return


@rule(
    "COB_NOTHING_LEFT",
    Severity.WARN,
    "Prior payers left no patient responsibility; the claim is not sent unless the payer profile asks for "
    "zero-balance claims.",
)
def nothing_left(ctx: ClaimContext, _: NoParams) -> Iterator[str | tuple[Severity, str]]:
    prior = _before(ctx)
    if prior is None or prior.patient_responsibility != 0 or prior.status_code == "4":
        return
    wanted = ctx.profile is not None and ctx.profile.coordination.zero_balance_claims
    if wanted:
        yield f"The prior payers left nothing to pay; {ctx.payer.name} asks for the claim anyway (zero balance)."
    else:
        yield Severity.ERROR, "The prior payers left nothing to pay: there is nothing to bill; close the claim."


@rule(
    "COB_OTHER_SUBSCRIBER_INCOMPLETE",
    Severity.ERROR,
    "Another coverage's subscriber lacks name, member ID, relationship or its payer's X12 payer ID (2330A/2330B).",
)
def other_subscriber_incomplete(ctx: ClaimContext, _: NoParams) -> Iterator[str]:
    for coverage in ctx.order:
        if coverage.id == ctx.claim.coverage_id:
            continue
        payer = ctx.payer_of(coverage)
        missing = [] if payer and (payer.x12_payer_id or "").strip() else ["the payer's X12 payer ID"]
        if not (coverage.member_id or "").strip():
            missing.append("member ID")
        if coverage.relationship is None:
            missing.append("relationship")
        elif coverage.relationship is not Relationship.SELF and not (
            coverage.subscriber_first_name and coverage.subscriber_last_name
        ):
            missing.append("subscriber name")
        if missing:
            yield (
                f"The {_name(ctx, coverage)} coverage lacks {', '.join(missing)}: the claim lists it as another "
                "payer (2330A/2330B); complete the coverage."
            )


class CobTimelyParams(Params):
    warn_fraction: float = Field(0.8, gt=0, le=1)


@rule(
    "COB_TIMELY_FILING",
    Severity.WARN,
    "The secondary payer's filing limit, counted from the prior payer's remittance date, is near or past (error).",
    CobTimelyParams,
)
def cob_timely_filing(ctx: ClaimContext, params: CobTimelyParams) -> Iterator[str | tuple[Severity, str]]:
    prior = _before(ctx)
    if prior is None or prior.adjudicated_on is None or ctx.profile is None:
        return
    deadline = secondary_deadline(ctx.profile.timely_filing, ctx.service_date, prior.adjudicated_on)
    window, elapsed = (deadline - prior.adjudicated_on).days, (ctx.today - prior.adjudicated_on).days
    if ctx.today > deadline:
        yield (
            Severity.ERROR,
            (
                f"{ctx.payer.name} takes a secondary claim until {deadline} (from the prior payer's remittance of "
                f"{prior.adjudicated_on}): it will deny it (CO-29)."
            ),
        )
    elif elapsed >= window * params.warn_fraction:
        yield f"{(deadline - ctx.today).days} days left to bill {ctx.payer.name} as secondary: send it now."


@rule("COB_MSP_TYPE_MISSING", Severity.ERROR, "Medicare billed as secondary without the MSP type (SBR05).")
def msp_type_missing(ctx: ClaimContext, _: NoParams) -> Iterator[str]:
    for coverage in ctx.order[1:]:
        if is_medicare(ctx.payer_of(coverage)) and not coverage.msp_type:
            yield (
                f"{_name(ctx, coverage)} pays after another coverage but has no Medicare Secondary Payer type "
                "(SBR05, e.g. 12 working aged): record it on the coverage."
            )
