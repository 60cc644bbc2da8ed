"""PAYER_: group size, frequency, required modifiers, timely filing."""

from collections.abc import Iterator
from datetime import date, timedelta

from models.enums import PayerSequence, Severity
from tasks.scrubbing.context import ClaimContext, OtherClaim
from tasks.scrubbing.registry import NoParams, rule


@rule("PAYER_GROUP_SIZE_MAX", Severity.ERROR, "Participants present in the session exceed the payer's maximum.")
def group_size_max(ctx: ClaimContext, _: NoParams) -> Iterator[str]:
    if ctx.profile is not None and ctx.attended_count > ctx.profile.group_size.max:
        yield (f"{ctx.attended_count} took part; {ctx.payer.name} pays groups of at most {ctx.profile.group_size.max}.")


@rule(
    "PAYER_GROUP_SIZE_MIN",
    Severity.ERROR,
    "Fewer participants than the payer's minimum (a group of one is individual).",
)
def group_size_min(ctx: ClaimContext, _: NoParams) -> Iterator[str]:
    minimum = ctx.profile.group_size.min if ctx.profile else 2
    if ctx.attended_count < minimum:
        yield f"Only {ctx.attended_count} took part; a group needs at least {minimum} (bill individual therapy)."


def period_start(day: date, period: str) -> date:
    """The first day of the week (Monday), month or year holding `day`."""
    if period == "week":
        return day - timedelta(days=day.weekday())
    return day.replace(day=1) if period == "month" else day.replace(month=1, day=1)


def _same_period(ctx: ClaimContext, other: OtherClaim, period: str) -> bool:
    return period_start(other.service_date, period) == period_start(ctx.service_date, period)


@rule(
    "PAYER_FREQUENCY_LIMIT",
    Severity.ERROR,
    "Group sessions billed for the patient in the payer's period exceed its limit.",
)
def frequency_limit(ctx: ClaimContext, _: NoParams) -> Iterator[str]:
    limit = ctx.profile.frequency_limit if ctx.profile else None
    if limit is None:
        return
    before = sum(
        1
        for c in ctx.live_others()
        if c.payer_id == ctx.claim.payer_id and c.has("90853") and ctx.earlier(c) and _same_period(ctx, c, limit.period)
    )
    if before + 1 > limit.max:
        yield f"This would be group session {before + 1} this {limit.period}; the payer pays {limit.max}."


@rule(
    "PAYER_REQUIRED_MODIFIER",
    Severity.ERROR,
    "A modifier the payer requires is absent (e.g. HQ; HO/HN/HP or AJ/AH by credential).",
)
def required_modifier(ctx: ClaimContext, _: NoParams) -> Iterator[str]:
    if ctx.profile is None:
        return
    wanted = list(ctx.profile.required_modifiers)
    if ctx.rendering is not None and ctx.rendering.credential.value in ctx.profile.credential_modifiers:
        wanted.append(ctx.profile.credential_modifiers[ctx.rendering.credential.value])
    for line in ctx.lines:
        missing = [m for m in wanted if line.cpt_code == "90853" and m not in line.modifiers]
        if missing:
            yield f"Line {line.line_number} lacks modifier {', '.join(missing)} that {ctx.payer.name} requires."


@rule(
    "PAYER_TIMELY_FILING",
    Severity.ERROR,
    "Today is past the payer's filing limit from the date of service (warn from `warn_at` of the window).",
)
def timely_filing(ctx: ClaimContext, _: NoParams) -> Iterator[str | tuple[Severity, str]]:
    if ctx.profile is None or ctx.sequence is not PayerSequence.PRIMARY:  # a secondary's: COB_TIMELY_FILING
        return
    days, tf = (ctx.today - ctx.service_date).days, ctx.profile.timely_filing
    if days > tf.days:
        yield f"{days} days since the session; {ctx.payer.name} files within {tf.days} days: it will deny (CO-29)."
    elif days >= tf.days * tf.warn_at:
        yield Severity.WARN, f"{tf.days - days} days left to file with {ctx.payer.name}: send it now."
