"""The payer order on a date of service, and what kind of payer each coverage is (pure)."""

from collections.abc import Iterable, Sequence
from datetime import date

from models.claims import Claim
from models.enums import ClaimFrequency, PayerSequence
from models.lifecycle import TERMINAL_STATUSES
from models.patients import Coverage
from models.practice import Payer
from tasks.x12.values import MEDICAID_FILING, MEDICARE_FILING

PROCESSED = frozenset({"1", "2", "3"})  # CLP02: processed as primary, secondary, tertiary
CROSSOVER_STATUSES = frozenset({"19", "20", "21"})  # CLP02: processed and forwarded to the next payer
CROSSOVER_REMARKS = frozenset({"MA18", "N89"})  # "forwarded to the supplemental insurer"
MAX_PAYERS = 3  # primary, secondary, tertiary


def payer_order(coverages: Iterable[Coverage], day: date) -> list[Coverage]:
    """The coverages in force on `day` in the order they pay: lowest priority first (ties by ID)."""
    in_force = [c for c in coverages if c.covers(day)]
    return sorted(in_force, key=lambda c: (c.priority, c.id or 0))[:MAX_PAYERS]


def coverage_at(coverages: Iterable[Coverage], day: date, sequence: PayerSequence) -> Coverage | None:
    """The coverage that pays at `sequence` on `day`, if there is one."""
    order = payer_order(coverages, day)
    return order[sequence.rank] if sequence.rank < len(order) else None


def billed_earlier(claims: Iterable[Claim], sequence: PayerSequence, coverage_id: int) -> Claim | None:
    """The service's claim (of `claims`, one attendance's) that bills this coverage at a place before `sequence`,
    still in play: billing the coverage at `sequence` too would bill that payer twice for the service. A void
    or a closed claim (rejected, or a CARC 22 denial its rebill closed) does not count."""
    return next(
        (
            c
            for c in claims
            if c.coverage_id == coverage_id
            and c.payer_sequence.rank < sequence.rank
            and c.status not in TERMINAL_STATUSES
            and c.frequency is not ClaimFrequency.VOID
        ),
        None,
    )


def order_ids(order: Sequence[Coverage]) -> list[int]:
    """The payer order as coverage IDs (what a claim remembers it was billed in)."""
    return [c.id or 0 for c in order]


def is_medicaid(payer: Payer | None) -> bool:
    """True for a Medicaid payer (claim filing indicator MC)."""
    return payer is not None and payer.claim_filing_indicator in MEDICAID_FILING


def is_medicare(payer: Payer | None) -> bool:
    """True for Medicare (claim filing indicator MA or MB)."""
    return payer is not None and payer.claim_filing_indicator in MEDICARE_FILING


def crossed_over(status_code: str, remarks: Iterable[str]) -> bool:
    """True when an 835 says the payer forwarded the claim to the next payer itself (a crossover)."""
    return status_code in CROSSOVER_STATUSES or bool(CROSSOVER_REMARKS & set(remarks))
