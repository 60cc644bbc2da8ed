"""ELIG_: the payer's latest word on the coverage (from the stored 271 summary)."""

from collections.abc import Iterator
from typing import Any

from pydantic import Field

from models.enums import Severity
from tasks.scrubbing.context import ClaimContext
from tasks.scrubbing.registry import NoParams, Params, rule


class AgeParams(Params):
    max_age_days: int | None = Field(None, ge=0)


def _summary(ctx: ClaimContext) -> dict[str, Any]:
    return ctx.eligibility.summary if ctx.eligibility is not None else {}


@rule(
    "ELIG_NOT_VERIFIED",
    Severity.ERROR,
    "No 271 that speaks for the date of service: one about that date (however late it was asked), or one received "
    "at most `max_age_days` (default: the profile's) before it.",
    AgeParams,
)
def not_verified(ctx: ClaimContext, p: AgeParams) -> Iterator[str]:
    limit = (
        p.max_age_days if p.max_age_days is not None else (ctx.profile.eligibility.max_age_days if ctx.profile else 30)
    )
    check = ctx.eligibility
    if check is None:
        yield "Coverage was never verified for this date of service: run the eligibility check."
    elif (
        check.service_date != ctx.service_date
        and not 0 <= (ctx.service_date - ctx.local_date(check.checked_at)).days <= limit
    ):
        yield (
            f"No eligibility check asked about {ctx.service_date}, and the nearest one was not received within "
            f"{limit} days before it: run the eligibility check for this date."
        )


@rule("ELIG_INACTIVE", Severity.ERROR, "The payer says coverage is inactive on the date of service.")
def inactive(ctx: ClaimContext, _: NoParams) -> Iterator[str]:
    if _summary(ctx).get("active") is False:
        yield "The payer reports this coverage inactive on the date of service: confirm the plan or bill another."


@rule("ELIG_REJECTED", Severity.ERROR, "The payer rejected the eligibility inquiry (AAA).")
def rejected(ctx: ClaimContext, _: NoParams) -> Iterator[str]:
    for error in _summary(ctx).get("errors", []):
        yield f"The payer rejected the eligibility inquiry (AAA {error.get('code')}): {error.get('advice', '')}".strip()


@rule("ELIG_MH_NOT_COVERED", Severity.ERROR, "Mental-health / psychotherapy benefits are excluded or non-covered.")
def mh_not_covered(ctx: ClaimContext, _: NoParams) -> Iterator[str]:
    if _summary(ctx).get("mental_health_covered") is False:
        yield "The plan excludes mental-health services: bill another coverage or the patient."


@rule("ELIG_CARVE_OUT", Severity.WARN, "Behavioral health is managed by another entity.")
def carve_out(ctx: ClaimContext, _: NoParams) -> Iterator[str]:
    entity = _summary(ctx).get("carve_out_entity")
    if entity:
        yield f"Behavioral health is managed by {entity}: the claim may belong to that payer."


@rule("ELIG_VISIT_LIMIT", Severity.WARN, "The 271 reports a visit limit and the visits used reach it.")
def visit_limit(ctx: ClaimContext, _: NoParams) -> Iterator[str]:
    remaining = _summary(ctx).get("visits_remaining")
    if remaining is None:
        return
    ours = sum(1 for c in ctx.live_others() if c.payer_id == ctx.claim.payer_id and ctx.earlier(c) and c.has("90853"))
    if ours >= remaining:
        yield f"The plan's visit limit is reached ({remaining} left at the last check): expect a CO-119 denial."
