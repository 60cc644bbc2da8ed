"""DUP_: duplicate claims, overlapping sessions, co-leaders billing the same patient."""

from collections.abc import Iterator
from datetime import datetime

from models.enums import ClaimStatus, Severity
from models.sessions import OtherService
from tasks.scrubbing.context import ClaimContext, OtherClaim
from tasks.scrubbing.registry import NoParams, rule

SENT = frozenset(
    {
        ClaimStatus.SUBMITTING,
        ClaimStatus.SUBMITTED,
        ClaimStatus.ACCEPTED,
        ClaimStatus.PAID,
        ClaimStatus.PARTIALLY_PAID,
        ClaimStatus.DENIED,
    }
)


# Only these modifiers make a same-day repeat a different service; payer coding (95, HQ, AJ) does not.
DISTINGUISHING = frozenset({"59", "XE", "XS", "XP", "XU", "76", "77"})


def _key(codes: list[tuple[str, tuple[str, ...]]]) -> frozenset[tuple[str, tuple[str, ...]]]:
    return frozenset((code, tuple(sorted(set(mods) & DISTINGUISHING))) for code, mods in codes)


def _same_service(ctx: ClaimContext, mine: frozenset[tuple[str, tuple[str, ...]]], other: OtherClaim) -> bool:
    if not mine or other.service_date != ctx.service_date or other.payer_id != ctx.claim.payer_id:
        return False
    theirs = _key([(code, mods) for code, mods, _ in other.codes if code == "90853"])
    return (
        mine == theirs
        and other.member_id == ctx.coverage.member_id
        and other.rendering_provider_id == ctx.claim.rendering_provider_id
        and other.billing_practice_id == ctx.claim.practice_id
    )


@rule(
    "DUP_CLAIM",
    Severity.ERROR,
    "An original claim with the same payer, member, date, CPT, modifiers, rendering and billing provider exists.",
)
def duplicate_claim(ctx: ClaimContext, _: NoParams) -> Iterator[str]:
    mine = _key([(line.cpt_code, tuple(line.modifiers)) for line in ctx.lines if line.cpt_code == "90853"])
    for other in ctx.live_others():
        if _same_service(ctx, mine, other) and (other.status in SENT or ctx.earlier(other)):
            yield f"Claim {other.claim_id} already bills this service for this patient that day: do not bill it twice."
            return


def _minutes(ctx: ClaimContext, start: object, end: object) -> tuple[datetime, datetime] | None:
    if start is None or end is None:
        return None
    return datetime.combine(ctx.service_date, start), datetime.combine(ctx.service_date, end)  # type: ignore[arg-type]


def _overlaps(mine: tuple[datetime, datetime] | None, theirs: tuple[datetime, datetime] | None) -> bool:
    return bool(mine and theirs and mine[0] < theirs[1] and theirs[0] < mine[1])


@rule(
    "DUP_OVERLAPPING_SESSION",
    Severity.ERROR,
    "The patient is billed for another session, or has another service (any clinician), whose time overlaps this one.",
)
def overlapping_session(ctx: ClaimContext, _: NoParams) -> Iterator[str]:
    mine = _minutes(ctx, ctx.session.start_time, ctx.session.end_time)
    for other in ctx.live_others():
        if other.session_id == ctx.session.id or other.service_date != ctx.service_date:
            continue
        if _overlaps(mine, _minutes(ctx, other.start, other.end)):
            yield f"Claim {other.claim_id} bills a session at an overlapping time: one of them is recorded wrongly."
            return
    service = next((s for s in ctx.other_services if _overlaps(mine, _service_minutes(ctx, s))), None)
    if service is not None and service.start_time and service.end_time:
        when = f"{service.start_time:%H:%M}-{service.end_time:%H:%M}"
        yield (
            f"Service {service.source_id} ({service.cpt_code}, {when}) overlaps this session: "
            "one person cannot attend both; correct the times or the attendance."
        )


def _service_minutes(ctx: ClaimContext, service: OtherService) -> tuple[datetime, datetime] | None:
    """A same-day service's time span (None on another day or without both times)."""
    if service.service_date != ctx.service_date:
        return None
    return _minutes(ctx, service.start_time, service.end_time)


def _billed_by_another(ctx: ClaimContext, other: OtherClaim) -> bool:
    """`other` bills this same session for the patient under another clinician, and goes first."""
    return (
        other.session_id == ctx.session.id
        and other.rendering_provider_id != ctx.claim.rendering_provider_id
        and other.has("90853")
        and (other.status in SENT or ctx.earlier(other))
    )


@rule(
    "DUP_CO_LEADER_BILLED",
    Severity.ERROR,
    "Two clinicians bill the same patient for the same session (co-led group: only one bills each patient).",
)
def co_leader_billed(ctx: ClaimContext, _: NoParams) -> Iterator[str]:
    for other in ctx.live_others():
        if _billed_by_another(ctx, other):
            yield (
                f"Claim {other.claim_id} already bills this session for this patient under another clinician "
                "(the patient is on the roster twice): only one clinician bills each patient."
            )
            return
    others = set(ctx.leader_ids) - {ctx.claim.rendering_provider_id}
    for service in ctx.other_services:
        if (
            service.service_date == ctx.service_date
            and service.cpt_code == "90853"
            and service.rendering_provider_id in others
        ):
            yield "A co-leader also billed 90853 for this patient on this day: only one clinician bills each patient."
            return
