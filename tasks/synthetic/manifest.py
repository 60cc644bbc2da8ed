"""The manifest: which claims of a synthetic practice must trip which rule IDs (RULES.md)."""

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field


class Expectation(BaseModel):
    """A claim (session + patient, by bundle IDs) that must carry at least these findings."""

    model_config = ConfigDict(extra="forbid")

    session_id: str
    patient_id: str
    rules: list[str]
    defects: list[str]


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

    def rules_for(self, session_id: str, patient_id: str) -> set[str]:
        """The rule IDs the claim of this attendee must carry (empty for a clean claim)."""
        return {
            r for e in self.expectations if (e.session_id, e.patient_id) == (session_id, patient_id) for r in e.rules
        }
