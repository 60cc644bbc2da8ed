"""The rule registry: each RULES.md rule is a pure check registered by decorator with its ID,
default severity, description and parameter model. A check yields messages (or, rarely, a
(severity, message) pair when one rule has two levels); it never raises for a business failure."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict

from models.enums import Severity

P = TypeVar("P", bound=BaseModel)


class NoParams(BaseModel):
    """A rule without parameters."""

    model_config = ConfigDict(extra="forbid", frozen=True)


@dataclass(frozen=True)
class Rule(Generic[P]):
    """One registered rule."""

    id: str
    severity: Severity
    description: str
    params: type[P]
    check: Callable[[Any, P], Iterable[Any]]

    def parse_params(self, raw: dict[str, Any]) -> P:
        """The rule's params from a profile's raw mapping (raises ValidationError when wrong)."""
        return self.params.model_validate(raw)


REGISTRY: dict[str, Rule[Any]] = {}


def rule(
    rule_id: str, severity: Severity, description: str, params: type[BaseModel] = NoParams
) -> Callable[[Callable[[Any, Any], Iterable[Any]]], Callable[[Any, Any], Iterable[Any]]]:
    """Register a check under its RULES.md ID."""

    def register(check: Callable[[Any, Any], Iterable[Any]]) -> Callable[[Any, Any], Iterable[Any]]:
        if rule_id in REGISTRY:
            raise RuntimeError(f"rule {rule_id} registered twice")
        REGISTRY[rule_id] = Rule(rule_id, severity, description, params, check)
        return check

    return register


def all_rules() -> dict[str, Rule[Any]]:
    """Every rule, with every rule module imported."""
    from tasks.scrubbing import rules  # noqa: F401  (importing registers them)

    return REGISTRY


class Params(BaseModel):
    """Base of rule parameter models: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)
