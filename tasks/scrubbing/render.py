"""Claims rendered as an 837P for CLM_X12_INVALID: a whole batch at once (problems pinned to the
claims they belong to), or one claim alone when it is scrubbed by itself."""

from datetime import datetime

from tasks.scrubbing.context import ClaimContext
from tasks.submission.build837 import Memo, claim_value
from tasks.x12 import claim837_model as x
from tasks.x12.claim837_writer import write_837p
from tasks.x12.envelope import Header
from tasks.x12.validate837 import problems_by_claim

_SUBMITTER = x.Submitter("GROUPBILL", "GROUPBILL", "BILLING", "0000000000")
_RECEIVER = x.Receiver("CLEARINGHOUSE", "RECEIVER")


def _value(ctx: ClaimContext, memo: Memo | None = None) -> x.Claim:
    return claim_value(
        ctx.claim,
        ctx.lines,
        practice=ctx.practice,
        patient=ctx.patient,
        coverage=ctx.coverage,
        payer=ctx.payer,
        provider=ctx.rendering,
        authorization_number=ctx.authorization_number,
        original_payer_claim_number=ctx.original_payer_claim_number,
        memo=memo,
        others=ctx.other_payers(),
    )


def _render(values: tuple[x.Claim, ...]) -> str:
    header = Header("GROUPBILL", "RECEIVER", 1, datetime(2000, 1, 1))
    return write_837p(x.Batch(header, _SUBMITTER, _RECEIVER, "SCRUB", values))


def claim_of(ctx: ClaimContext) -> x.Claim:
    """The claim as its 837P value object (what COB_OUT_OF_BALANCE checks)."""
    return _value(ctx)


def render_alone(ctx: ClaimContext) -> str:
    """The claim as the only claim of an 837P interchange."""
    return _render((_value(ctx),))


def check_x12_together(contexts: list[ClaimContext]) -> None:
    """Render a batch's claims as one 837P, validate it once, and give each context its own problems."""
    if not contexts:
        return
    memo: Memo = {}
    found = problems_by_claim(_render(tuple(_value(ctx, memo) for ctx in contexts)))
    for ctx in contexts:
        ctx.x12_problems = [p.message for p in found.get(ctx.claim.patient_control_number or "", [])]
