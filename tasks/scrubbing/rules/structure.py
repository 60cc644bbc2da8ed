"""CLM_: the claim as X12 and as a correction."""

from collections.abc import Iterator

from models.enums import ClaimFrequency, Severity
from tasks.scrubbing.context import ClaimContext
from tasks.scrubbing.registry import NoParams, rule


@rule(
    "CLM_X12_INVALID",
    Severity.ERROR,
    "The claim's 837P rendering fails validation against 005010X222A1 (our structural validator).",
)
def x12_invalid(ctx: ClaimContext, _: NoParams) -> Iterator[str]:
    problems = ctx.x12_problems
    if problems is None:  # scrubbed alone, not as part of a batch: render just this claim
        from tasks.scrubbing.render import render_alone
        from tasks.x12.validate837 import validate_837p

        problems = [p.message for p in validate_837p(render_alone(ctx))]
    for message in problems[:3]:
        yield f"The 837P for this claim is invalid: {message}."


@rule(
    "CLM_CORRECTION_NO_ORIGINAL",
    Severity.ERROR,
    "A replacement (7) or void (8) has no payer claim number of the original.",
)
def correction_no_original(ctx: ClaimContext, _: NoParams) -> Iterator[str]:
    if ctx.claim.frequency is ClaimFrequency.ORIGINAL:
        return
    if ctx.claim.original_claim_id is None or not ctx.original_payer_claim_number:
        yield "A corrected or voided claim needs the payer's claim number of the original (from the 835 or 277CA)."
