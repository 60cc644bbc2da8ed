"""The vocabulary of the billing domain, as string enums (stored by value)."""

from enum import StrEnum


class ClaimStatus(StrEnum):
    """Where one attendee's claim for one session stands (see models/lifecycle.py)."""

    DRAFT = "draft"
    ON_HOLD = "on_hold"
    READY = "ready"
    SUBMITTING = "submitting"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    PAID = "paid"
    PARTIALLY_PAID = "partially_paid"
    DENIED = "denied"
    CORRECTED = "corrected"
    VOIDED = "voided"


class ClaimFrequency(StrEnum):
    """CLM05-3: original, replacement or void."""

    ORIGINAL = "1"
    REPLACEMENT = "7"
    VOID = "8"


class PayerSequence(StrEnum):
    """Which payer a claim bills for its service (SBR01): primary, secondary or tertiary."""

    PRIMARY = "P"
    SECONDARY = "S"
    TERTIARY = "T"

    @property
    def rank(self) -> int:
        """0 for the primary, 1 for the secondary, 2 for the tertiary."""
        return "PST".index(self.value)

    def next(self) -> "PayerSequence | None":
        """The payer after this one (None after the tertiary)."""
        return PayerSequence("PST"[self.rank + 1]) if self.rank < 2 else None

    @classmethod
    def at(cls, rank: int) -> "PayerSequence":
        """The sequence of the payer at this position of the payer order (0 = primary)."""
        return cls("PST"[rank])


class Credential(StrEnum):
    """A rendering clinician's licence or degree as payers know it."""

    MD = "MD"
    DO = "DO"
    PHD = "PhD"
    PSYD = "PsyD"
    LCSW = "LCSW"
    LICSW = "LICSW"
    LMSW = "LMSW"
    LPC = "LPC"
    LMHC = "LMHC"
    LMFT = "LMFT"
    LADC = "LADC"
    PMHNP = "PMHNP"
    CNS = "CNS"
    PA = "PA"
    ASSOCIATE = "ASSOCIATE"


class Modality(StrEnum):
    """How the session was delivered."""

    IN_PERSON = "in_person"
    VIDEO = "video"
    AUDIO_ONLY = "audio_only"


class SessionType(StrEnum):
    """What kind of group met; only psychotherapy groups bill 90853."""

    PSYCHOTHERAPY = "psychotherapy"
    SUPPORT = "support"
    EDUCATIONAL = "educational"
    SOCIAL = "social"
    RECREATIONAL = "recreational"


class SessionStatus(StrEnum):
    """Whether a session is still ahead, took place, or was called off."""

    SCHEDULED = "scheduled"
    HELD = "held"
    CANCELLED = "cancelled"


class AttendanceStatus(StrEnum):
    """One patient's attendance at one session (`scheduled`: booked, session still ahead; `no_show`: an
    absence as EHRs record one, kept as exported)."""

    SCHEDULED = "scheduled"
    PRESENT = "present"
    ABSENT = "absent"
    NO_SHOW = "no_show"
    LATE = "late"
    LEFT_EARLY = "left_early"

    @property
    def stayed_away(self) -> bool:
        """True when the patient did not come (absent or a no-show): nothing to bill or verify."""
        return self in (AttendanceStatus.ABSENT, AttendanceStatus.NO_SHOW)

    @property
    def attended(self) -> bool:
        """True when the patient took part (and so may be billed)."""
        return not self.stayed_away and self is not AttendanceStatus.SCHEDULED


STAYED_AWAY = tuple(s for s in AttendanceStatus if s.stayed_away)


class InteractiveComplexityFactor(StrEnum):
    """The four CPT interactive-complexity factors; 90785 needs at least one recorded for the attendee."""

    MALADAPTIVE_COMMUNICATION = "maladaptive_communication"  # among participants, complicating delivery of care
    CAREGIVER_INTERFERENCE = "caregiver_interference"  # caregiver emotions or behaviour interfering with the plan
    SENTINEL_EVENT = "sentinel_event"  # a sentinel event, with a mandated report to a third party
    COMMUNICATION_BARRIER = "communication_barrier"  # play equipment, devices or an interpreter needed to overcome it


class Sex(StrEnum):
    """Administrative sex as X12 DMG03 carries it."""

    FEMALE = "F"
    MALE = "M"
    UNKNOWN = "U"


class Relationship(StrEnum):
    """Patient's relationship to the subscriber (SBR02 / PAT01 codes)."""

    SELF = "18"
    SPOUSE = "01"
    CHILD = "19"
    OTHER = "G8"


class UnitKind(StrEnum):
    """What an authorization counts."""

    UNITS = "units"
    VISITS = "visits"


class LedgerKind(StrEnum):
    """An authorization ledger entry: units held, used, or given back."""

    RESERVE = "reserve"
    CONSUME = "consume"
    RELEASE = "release"


class Severity(StrEnum):
    """A finding's weight: error holds the claim, warn lets it go."""

    ERROR = "error"
    WARN = "warn"


class BatchStatus(StrEnum):
    """A submission batch (one 837P interchange) on its way out."""

    BUILT = "built"
    SUBMITTING = "submitting"
    SUBMITTED = "submitted"
    REJECTED = "rejected"
