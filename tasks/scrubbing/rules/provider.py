"""PROV_: billing and rendering providers, credentials, licences, enrollment."""

import re
from collections.abc import Iterator

from config.reference_data import taxonomies
from models.enums import Severity
from models.identifiers import is_valid_npi
from tasks.scrubbing.context import ClaimContext
from tasks.scrubbing.registry import NoParams, rule

PO_BOX = re.compile(r"\bP\.?\s*O\.?\s*BOX\b|\bPOST OFFICE BOX\b", re.IGNORECASE)
TAXONOMY = re.compile(r"^[0-9A-Z]{9}X$")


@rule("PROV_NPI_INVALID", Severity.ERROR, "Billing or rendering NPI not 10 digits or fails the Luhn check.")
def npi_invalid(ctx: ClaimContext, _: NoParams) -> Iterator[str]:
    if not is_valid_npi(ctx.practice.npi):
        yield f"The practice's NPI {ctx.practice.npi!r} is not a valid NPI: correct it in the practice record."
    if ctx.rendering is None:
        yield "No rendering clinician on the claim: record who led the session."
    elif not is_valid_npi(ctx.rendering.npi):
        yield f"The rendering clinician's NPI {ctx.rendering.npi!r} is not a valid NPI: correct it."


@rule(
    "PROV_TAXONOMY_INVALID",
    Severity.ERROR,
    "Taxonomy not 10 characters ending in X, or inconsistent with the credential.",
)
def taxonomy_invalid(ctx: ClaimContext, _: NoParams) -> Iterator[str]:
    if not TAXONOMY.match(ctx.practice.taxonomy or ""):
        yield f"The practice taxonomy {ctx.practice.taxonomy!r} is malformed: use a 10-character NUCC code."
    p = ctx.rendering
    if p is None:
        return
    if not TAXONOMY.match(p.taxonomy or ""):
        yield f"The rendering taxonomy {p.taxonomy!r} is malformed: use a 10-character NUCC code."
    elif p.taxonomy not in taxonomies().get(p.credential.value, frozenset()):
        yield f"Taxonomy {p.taxonomy} does not fit a {p.credential.value}: correct the clinician's taxonomy."


@rule(
    "PROV_CREDENTIAL_NOT_ALLOWED",
    Severity.ERROR,
    "The rendering clinician's credential may not bill 90853 for this payer on this date.",
)
def credential_not_allowed(ctx: ClaimContext, _: NoParams) -> Iterator[str]:
    if ctx.rendering is None or ctx.profile is None:
        return
    credential = ctx.rendering.credential.value
    if credential not in ctx.profile.credentials:
        yield f"This payer does not pay 90853 rendered by a {credential}: bill under an eligible clinician."
        return
    since = ctx.profile.credentials[credential]
    if since is not None and ctx.service_date < since:
        yield f"This payer pays a {credential} for 90853 only from {since}: this session cannot be billed under them."


@rule("PROV_LICENSE_INACTIVE", Severity.ERROR, "The clinician's license is expired or not yet active on the date.")
def license_inactive(ctx: ClaimContext, _: NoParams) -> Iterator[str]:
    if ctx.rendering is None:
        return
    day = ctx.service_date
    if not any(lic.valid_from <= day and (lic.valid_to is None or day <= lic.valid_to) for lic in ctx.licenses):
        yield f"The rendering clinician has no licence in force on {day}: update the licence record."


@rule(
    "PROV_NOT_ENROLLED",
    Severity.ERROR,
    "The rendering (or billing) provider has no active enrollment with the payer on the date of service.",
)
def not_enrolled(ctx: ClaimContext, _: NoParams) -> Iterator[str]:
    day = ctx.service_date
    active = [
        e
        for e in ctx.enrollments
        if e.payer_id == ctx.claim.payer_id and e.valid_from <= day and (e.valid_to is None or day <= e.valid_to)
    ]
    if ctx.rendering is not None and not active:
        yield f"The rendering clinician is not enrolled with {ctx.payer.name} on {day}: enroll or bill another."


@rule("PROV_BILLING_ADDRESS", Severity.ERROR, "Billing provider address is a PO box or its ZIP is not 9 digits.")
def billing_address(ctx: ClaimContext, _: NoParams) -> Iterator[str]:
    if PO_BOX.search(ctx.practice.address_line1 or ""):
        yield "The billing address is a PO box: claims need the practice's street address."
    if not re.fullmatch(r"[0-9]{9}", ctx.practice.zip_code or ""):
        yield f"The billing ZIP {ctx.practice.zip_code!r} must have 9 digits (ZIP+4)."


@rule("PROV_TAX_ID_MISSING", Severity.ERROR, "Billing provider has no EIN (or SSN).")
def tax_id_missing(ctx: ClaimContext, _: NoParams) -> Iterator[str]:
    if not re.fullmatch(r"[0-9]{9}", ctx.practice.ein or ""):
        yield "The practice has no 9-digit EIN: add the tax ID to the practice record."
