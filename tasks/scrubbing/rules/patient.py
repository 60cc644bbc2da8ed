"""PAT_: patient, subscriber and coverage."""

from collections.abc import Iterator

from models.enums import PayerSequence, Relationship, Severity
from tasks.scrubbing.context import ClaimContext
from tasks.scrubbing.registry import NoParams, rule


@rule("PAT_MEMBER_ID_MISSING", Severity.ERROR, "Coverage has no member ID.")
def member_id_missing(ctx: ClaimContext, _: NoParams) -> Iterator[str]:
    if not (ctx.coverage.member_id or "").strip():
        yield "The coverage has no member ID: copy it from the insurance card."


@rule("PAT_DEMOGRAPHICS_INVALID", Severity.ERROR, "Name, sex or birth date missing, or birth date after the DOS.")
def demographics_invalid(ctx: ClaimContext, _: NoParams) -> Iterator[str]:
    p = ctx.patient
    missing = [
        name
        for name, value in (
            ("first name", p.first_name),
            ("last name", p.last_name),
            ("sex", p.sex),
            ("birth date", p.birth_date),
        )
        if not value
    ]
    if missing:
        yield f"The patient's {', '.join(missing)} {'is' if len(missing) == 1 else 'are'} missing."
    elif p.birth_date and p.birth_date > ctx.service_date:
        yield "The patient's birth date is after the date of service: correct the birth date."


@rule(
    "PAT_SUBSCRIBER_INCOMPLETE",
    Severity.ERROR,
    "Patient is not the subscriber and subscriber name / DOB / relationship are missing.",
)
def subscriber_incomplete(ctx: ClaimContext, _: NoParams) -> Iterator[str]:
    c = ctx.coverage
    if c.relationship is Relationship.SELF:
        return
    if not (c.subscriber_first_name and c.subscriber_last_name and c.subscriber_birth_date):
        yield "The patient is a dependent but the subscriber's name or birth date is missing: complete the coverage."


@rule("PAT_PAYER_UNKNOWN", Severity.ERROR, "The coverage's payer has no configured payer profile or X12 payer ID.")
def payer_unknown(ctx: ClaimContext, _: NoParams) -> Iterator[str]:
    if ctx.profile is None:
        yield f"Payer {ctx.payer.source_id} names profile {ctx.payer.profile!r}, which does not exist in config/payers."
    if not (ctx.payer.x12_payer_id or "").strip():
        yield f"Payer {ctx.payer.source_id} has no X12 payer ID: add it to the payer record."


@rule(
    "PAT_COVERAGE_NOT_PRIMARY",
    Severity.WARN,
    "Billing a payer that is not primary while a primary coverage is active and unbilled.",
)
def coverage_not_primary(ctx: ClaimContext, _: NoParams) -> Iterator[str]:
    if ctx.sequence is not PayerSequence.PRIMARY:  # a secondary's claim comes after the primary's (COB_ rules)
        return
    primaries = [c for c in ctx.coverages if c.priority < ctx.coverage.priority and c.covers(ctx.service_date)]
    if primaries:
        yield "A higher-priority coverage is in force: bill the primary payer first."
