"""AUTH_: prior authorization covers patient, CPT, date, provider and units."""

from collections.abc import Iterator

from models.enums import Severity
from models.patients import Authorization
from tasks.scrubbing.context import ClaimContext
from tasks.scrubbing.registry import NoParams, rule


def auth_required(ctx: ClaimContext) -> bool:
    """The payer profile or the 271 (EB11=Y) asks for prior authorization."""
    by_profile = ctx.profile is not None and ctx.profile.authorization.required
    by_payer = bool(ctx.eligibility and ctx.eligibility.summary.get("auth_required"))
    return by_profile or by_payer


def _for_cpt(ctx: ClaimContext, cpt: str) -> list[Authorization]:
    return [a for a in ctx.authorizations if cpt in a.cpt_codes and a.payer_id == ctx.claim.payer_id]


def covering(ctx: ClaimContext, cpt: str = "90853") -> Authorization | None:
    """The authorization this claim draws on: covers CPT + date (+ provider), earliest end first."""
    day, rendering = ctx.service_date, ctx.claim.rendering_provider_id
    fits = [
        a
        for a in _for_cpt(ctx, cpt)
        if a.start_date <= day <= a.end_date and a.rendering_provider_id in (None, rendering)
    ]
    return min(fits, key=lambda a: (a.end_date, a.id or 0)) if fits else None


def units_held_by_others(ctx: ClaimContext, auth: Authorization) -> int:
    """Units other claims hold in the authorization's ledger (reserved or consumed): what `groupbill auths list`
    subtracts. A claim held or still a draft holds none; a correction may use what its original holds."""
    mine = {ctx.claim.id, ctx.claim.original_claim_id}
    return sum(units for claim_id, units in ctx.auth_holdings.get(auth.id or 0, {}).items() if claim_id not in mine)


@rule(
    "AUTH_REQUIRED_MISSING",
    Severity.ERROR,
    "Prior auth is required (payer profile or 271 EB11=Y) and none covers patient + CPT + date.",
)
def required_missing(ctx: ClaimContext, _: NoParams) -> Iterator[str]:
    if auth_required(ctx) and not _for_cpt(ctx, "90853"):
        yield "The payer requires prior authorization for 90853 and none is on file: request one before billing."


@rule("AUTH_EXPIRED", Severity.ERROR, "An auth exists for patient + CPT but the date of service is outside its dates.")
def expired(ctx: ClaimContext, _: NoParams) -> Iterator[str]:
    auths = _for_cpt(ctx, "90853")
    if auths and not any(a.start_date <= ctx.service_date <= a.end_date for a in auths):
        ends = max(a.end_date for a in auths)
        yield f"The authorization does not cover {ctx.service_date} (it ended {ends}): request a renewal."


@rule(
    "AUTH_EXHAUSTED",
    Severity.ERROR,
    "Remaining units (authorized minus reserved or consumed by other claims) < units billed.",
)
def exhausted(ctx: ClaimContext, _: NoParams) -> Iterator[str]:
    auth = covering(ctx)
    if auth is None:
        return
    billed = sum(line.units for line in ctx.lines if line.cpt_code in auth.cpt_codes)
    left = auth.units_authorized - units_held_by_others(ctx, auth)
    if left < billed:
        yield (
            f"Authorization {auth.number} has {max(left, 0)} of {auth.units_authorized} units left: request more units."
        )


@rule("AUTH_PROVIDER_MISMATCH", Severity.ERROR, "The auth is restricted to another rendering provider.")
def provider_mismatch(ctx: ClaimContext, _: NoParams) -> Iterator[str]:
    day = ctx.service_date
    dated = [a for a in _for_cpt(ctx, "90853") if a.start_date <= day <= a.end_date]
    if dated and all(a.rendering_provider_id not in (None, ctx.claim.rendering_provider_id) for a in dated):
        yield "The authorization names another rendering clinician: bill under that clinician or amend the auth."
