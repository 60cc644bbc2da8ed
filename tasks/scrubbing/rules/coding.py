"""CODE_: diagnoses, pointers, units, add-ons, same-day edits, modifiers and charges."""

import re
from collections.abc import Iterator
from decimal import Decimal

from config.reference_data import coding_edits
from models.enums import Severity
from tasks.scrubbing.context import ClaimContext
from tasks.scrubbing.icd_index import icd_index
from tasks.scrubbing.registry import NoParams, rule

MODIFIER = re.compile(r"^[0-9A-Z]{2}$")


def billable(code: str) -> bool:
    """A valid leaf ICD-10-CM code (with or without the dot)."""
    return code in icd_index().billable


def needs_code_first(code: str) -> bool:
    """A manifestation or 'code first' code, or an external cause (V00-Y99): never the first diagnosis."""
    return code[:1] in "VWXY" or code in icd_index().code_first


@rule("CODE_DX_MISSING", Severity.ERROR, "Claim has no diagnosis code.")
def dx_missing(ctx: ClaimContext, _: NoParams) -> Iterator[str]:
    if not ctx.claim.diagnoses:
        yield "No diagnosis on the claim: add the treatment plan's diagnosis."


@rule("CODE_DX_INVALID", Severity.ERROR, "A diagnosis is not a valid, billable (leaf) ICD-10-CM code.")
def dx_invalid(ctx: ClaimContext, _: NoParams) -> Iterator[str]:
    for code in ctx.claim.diagnoses:
        if not billable(code):
            yield f"{code} is not a billable ICD-10-CM code: use the most specific code (e.g. F32.1, not F32)."


@rule(
    "CODE_DX_PRIMARY_NOT_ALLOWED",
    Severity.ERROR,
    "The first diagnosis is a manifestation / 'code first' code or an external-cause code.",
)
def dx_primary_not_allowed(ctx: ClaimContext, _: NoParams) -> Iterator[str]:
    if ctx.claim.diagnoses and needs_code_first(ctx.claim.diagnoses[0]):
        yield f"{ctx.claim.diagnoses[0]} cannot be the first diagnosis: list the underlying condition first."


@rule("CODE_DX_NOT_BEHAVIORAL", Severity.WARN, "The first diagnosis is outside F01-F99.")
def dx_not_behavioral(ctx: ClaimContext, _: NoParams) -> Iterator[str]:
    if ctx.claim.diagnoses and not ctx.claim.diagnoses[0].upper().startswith("F"):
        yield f"The first diagnosis {ctx.claim.diagnoses[0]} is not a mental-health (F) code: payers often refuse it."


@rule(
    "CODE_POINTER_INVALID",
    Severity.ERROR,
    "A line's diagnosis pointer is missing, repeated, > 4, or points past the diagnoses listed.",
)
def pointer_invalid(ctx: ClaimContext, _: NoParams) -> Iterator[str]:
    count = len(ctx.claim.diagnoses)
    for line in ctx.lines:
        p = line.diagnosis_pointers
        if not p or len(set(p)) != len(p) or any(not 1 <= x <= min(4, count) for x in p):
            yield f"Line {line.line_number} ({line.cpt_code}) has pointers {p}: point at 1-4 listed diagnoses."


@rule(
    "CODE_UNITS_EXCEEDED",
    Severity.ERROR,
    "90853 units for the patient on the date of service (all claims, all sessions) exceed the MUE.",
)
def units_exceeded(ctx: ClaimContext, _: NoParams) -> Iterator[str]:
    mue = coding_edits().mue.get("90853", 1)
    if ctx.profile is not None and ctx.profile.second_session_same_day:
        mue += 1
    ours = sum(line.units for line in ctx.lines if line.cpt_code == "90853")
    before = sum(
        units
        for c in ctx.live_others()
        if c.service_date == ctx.service_date and ctx.earlier(c)
        for code, _, units in c.codes
        if code == "90853"
    )
    if ours and ours + before > mue:
        yield f"{ours + before} units of 90853 on {ctx.service_date} exceed the {mue} allowed per patient per day."


@rule(
    "CODE_ADDON_WITHOUT_PRIMARY",
    Severity.ERROR,
    "90785 billed without 90853 (or another allowed primary) on the same claim, more than once, or with 90839/90840.",
)
def addon_without_primary(ctx: ClaimContext, _: NoParams) -> Iterator[str]:
    edits, codes = coding_edits(), ctx.codes()
    for addon, primaries in edits.addon_primaries.items():
        if addon not in codes:
            continue
        if not set(primaries) & set(codes):
            yield f"{addon} is an add-on and needs its primary service (90853) on the same claim."
        if sum(line.units for line in ctx.lines if line.cpt_code == addon) > 1:
            yield f"{addon} may be billed once per primary service."
        if set(edits.addon_exclusions.get(addon, [])) & set(codes):
            yield f"{addon} cannot be billed with crisis or family psychotherapy codes."


@rule(
    "CODE_ADDON_REASON_MISSING",
    Severity.ERROR,
    "90785 billed but the attendee's record names none of the four CPT interactive-complexity factors.",
)
def addon_reason_missing(ctx: ClaimContext, _: NoParams) -> Iterator[str]:
    if "90785" in ctx.codes() and not ctx.attendance.interactive_complexity_factors:
        yield (
            "90785 needs an interactive-complexity factor recorded for this attendee (maladaptive communication, "
            "caregiver interference, a sentinel event with a mandated report, or play equipment, devices or an "
            "interpreter for a communication barrier; interpretation alone does not count): record it or drop 90785."
        )


@rule(
    "CODE_PTP_CONFLICT",
    Severity.ERROR,
    "Same patient, date, clinician: 90853 with individual psychotherapy without 59/X{EPSU}, or a never-together code.",
)
def ptp_conflict(ctx: ClaimContext, _: NoParams) -> Iterator[str]:
    edits = coding_edits()
    distinct = set(edits.distinct_service_modifiers)
    rendering = ctx.claim.rendering_provider_id
    others = [
        (s.cpt_code, tuple(s.modifiers))
        for s in ctx.other_services
        if s.service_date == ctx.service_date and s.rendering_provider_id == rendering
    ]
    others += [
        (code, mods)
        for c in ctx.live_others()
        if c.service_date == ctx.service_date and c.rendering_provider_id == rendering
        for code, mods, _ in c.codes
    ]
    for code, modifiers in others:
        pair = edits.pair("90853", code)
        if pair is None:
            continue
        column1, column2, indicator = pair
        column2_modifiers = modifiers if column2 == code else ()
        if indicator == 0:
            yield f"90853 and {code} are never billed together on one day by one clinician: bill the main service."
        elif not set(column2_modifiers) & distinct:
            yield f"Same-day {code} by the same clinician needs 59 or XE on the {code} claim (distinct session)."


@rule(
    "CODE_MODIFIER_INVALID",
    Severity.ERROR,
    "More than 4 modifiers, a malformed modifier, or one the payer does not accept.",
)
def modifier_invalid(ctx: ClaimContext, _: NoParams) -> Iterator[str]:
    accepted = set(ctx.profile.accepted_modifiers) if ctx.profile else None
    for line in ctx.lines:
        if len(line.modifiers) > 4:
            yield f"Line {line.line_number} has {len(line.modifiers)} modifiers; at most 4 fit on a claim line."
        for modifier in line.modifiers:
            if not MODIFIER.match(modifier):
                yield f"Line {line.line_number}: {modifier!r} is not a modifier (two letters or digits)."
            elif accepted is not None and modifier not in accepted:
                yield f"Line {line.line_number}: this payer does not accept modifier {modifier}."


@rule(
    "CODE_CHARGE_INVALID",
    Severity.ERROR,
    "A charge <= 0 or with more than 2 decimals, or the claim total differs from the sum of its lines.",
)
def charge_invalid(ctx: ClaimContext, _: NoParams) -> Iterator[str]:
    total = Decimal(0)
    for line in ctx.lines:  # SV102 is the line's charge for all its units
        total += line.charge
        if line.charge <= 0 or line.charge != line.charge.quantize(Decimal("0.01")):
            yield f"Line {line.line_number} has charge {line.charge}: charges must be positive, in cents."
    if total != ctx.claim.total_charge:
        yield f"The claim total {ctx.claim.total_charge} differs from its lines' {total}: re-draft the claim."
