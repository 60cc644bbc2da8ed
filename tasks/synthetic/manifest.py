"""The manifest: which claims of a synthetic practice must trip which rule IDs (RULES.md)."""

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Expectation(BaseModel):
    """A claim (session + patient, by bundle IDs, and the payer it bills: primary, secondary or tertiary)
    that must carry at least these findings; some only once the prior payer's 835 is posted."""

    model_config = ConfigDict(extra="forbid")

    session_id: str
    patient_id: str
    rules: list[str]
    defects: list[str]
    sequence: Literal["P", "S", "T"] = "P"
    after_remittance: bool = False


class Control(BaseModel):
    """A claim that sits just on the clean side of a rule: that rule must not fire on it."""

    model_config = ConfigDict(extra="forbid")

    session_id: str
    patient_id: str
    rule: str
    why: str


class Manifest(BaseModel):
    """Seeded defects and boundary controls. Claims not listed must have no error findings."""

    model_config = ConfigDict(extra="forbid")

    seed: int
    today: dt.date
    expectations: list[Expectation] = Field(default_factory=list)
    controls: list[Control] = Field(default_factory=list)

    def rules_for(self, session_id: str, patient_id: str, sequence: str = "P") -> set[str]:
        """The rule IDs this attendee's claim to the payer at `sequence` must carry (empty for a clean claim)."""
        key = (session_id, patient_id, sequence)
        return {r for e in self.expectations if (e.session_id, e.patient_id, e.sequence) == key for r in e.rules}
