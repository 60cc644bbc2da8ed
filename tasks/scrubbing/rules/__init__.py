"""Every rule family; importing this package registers all RULES.md rules."""

from tasks.scrubbing.rules import (  # noqa: F401
    authorization,
    cob,
    coding,
    documentation,
    duplicates,
    eligibility,
    patient,
    payer,
    place,
    provider,
    structure,
)
