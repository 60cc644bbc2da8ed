"""Reference data in config/reference/: same-day coding edits, the credential-taxonomy map and the
state licence titles each credential family goes by.

All are data files with their source and date in a header comment; all are validated when loaded.
"""

import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, RootModel, StringConstraints, ValidationError, field_validator

from models.enums import Credential
from models.errors import ConfigError

REFERENCE_DIR = Path(__file__).with_name("reference")


class CodingEdits(BaseModel):
    """MUE values, add-on pairings, PTP pairs with modifier indicators."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    mue: dict[str, int]
    addon_primaries: dict[str, list[str]]
    addon_exclusions: dict[str, list[str]]
    ptp: list[tuple[str, str, int]] = Field(min_length=1)
    distinct_service_modifiers: list[str]

    def pair(self, code_a: str, code_b: str) -> tuple[str, str, int] | None:
        """The PTP edit between two codes, either way round (column 1, column 2, indicator)."""
        for column1, column2, indicator in self.ptp:
            if {column1, column2} == {code_a, code_b}:
                return column1, column2, indicator
        return None


def _load(path: Path) -> object:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read reference data: {' '.join(str(exc).split())}") from None
    except RecursionError:
        raise ConfigError(f"{path}: nested too deeply to be reference data") from None


Model = TypeVar("Model", bound=BaseModel)


def _validated(model: type[Model], path: Path) -> Model:
    """A reference file checked against its model; problems are one line each naming the file and field."""
    try:
        return model.model_validate(_load(path))
    except ValidationError as exc:
        raise ConfigError(
            [
                f"{path}: {'.'.join(map(str, e['loc'])) or '(top level)'}: {e['msg'].removeprefix('Value error, ')}"
                for e in exc.errors()
            ]
        ) from None


@lru_cache(maxsize=1)
def coding_edits(path: Path = REFERENCE_DIR / "psychiatric_edits.yaml") -> CodingEdits:
    """The same-day coding edits, loaded once."""
    return _validated(CodingEdits, path)


@lru_cache(maxsize=1)
def taxonomies(path: Path = REFERENCE_DIR / "taxonomy.yaml") -> dict[str, frozenset[str]]:
    """Credential -> taxonomy codes that fit it, loaded once."""
    data = _load(path)
    if not isinstance(data, dict) or not all(isinstance(v, list) for v in data.values()):
        raise ConfigError(f"{path}: expected a mapping of credential to a list of taxonomy codes")
    return {str(k): frozenset(map(str, v)) for k, v in data.items()}


LicenceTitle = Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Za-z]{1,9}(-[A-Z]{1,4})?$")]


class LicenceTitles(RootModel[dict[LicenceTitle, Credential]]):
    """State licence title -> the credential family it belongs to."""

    @field_validator("root")
    @classmethod
    def _not_a_credential(cls, titles: dict[str, Credential]) -> dict[str, Credential]:
        clashes = sorted(t for t in titles if t in {c.value for c in Credential})
        if clashes:
            raise ValueError(f"{', '.join(clashes)} is a credential itself, not a title to map")
        return titles


@lru_cache(maxsize=1)
def licence_titles(path: Path = REFERENCE_DIR / "licence_titles.yaml") -> dict[str, Credential]:
    """Licence title -> credential family, loaded once."""
    return dict(_validated(LicenceTitles, path).root)


class X12Codes(BaseModel):
    """Meanings of 277CA, 277 and 835 codes and the work queue each denial reason files under."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    claim_status_categories: dict[str, str]
    accepted_categories: frozenset[str]
    claim_status_codes: dict[str, str]
    status_entities: dict[str, str]
    carc: dict[str, str]
    rarc: dict[str, str]
    queues_by_carc: dict[str, list[str]]
    queues_by_rarc: dict[str, list[str]]
    queues_by_status_code: dict[str, list[str]]
    not_denials: dict[str, list[str]]
    queues_returning_units: frozenset[str]

    def queue_of_carc(self, code: str) -> str | None:
        """The denial queue a claim adjustment reason code files under, if any."""
        return next((q for q, codes in self.queues_by_carc.items() if code in codes), None)

    def queue_of_rarc(self, code: str) -> str | None:
        """The denial queue a remark code files under, if any."""
        return next((q for q, codes in self.queues_by_rarc.items() if code in codes), None)

    def queue_of_status(self, code: str) -> str | None:
        """The queue a claim status answer's status code (a denial's reason) files under, if any."""
        return next((q for q, codes in self.queues_by_status_code.items() if code in codes), None)

    def is_denial(self, group: str, carc: str) -> bool:
        """Whether an adjustment is a denial (not the member's share, not a contractual write-off)."""
        return carc not in self.not_denials.get(group, [])


@lru_cache(maxsize=1)
def x12_codes(path: Path = REFERENCE_DIR / "x12_codes.yaml") -> X12Codes:
    """The acknowledgement and remittance code tables, loaded once."""
    return _validated(X12Codes, path)


class RuleFixes(BaseModel):
    """What fixes a claim held by each rule (RULES.md ID -> one sentence)."""

    model_config = ConfigDict(frozen=True)

    fixes: dict[str, str]

    def of(self, rule_id: str) -> str:
        """The fix for a rule, or where to look when the file has none."""
        return self.fixes.get(rule_id, "See `groupbill scrub --format json` for the claim's message.")


@lru_cache(maxsize=1)
def rule_fixes(path: Path = REFERENCE_DIR / "rule_fixes.yaml") -> RuleFixes:
    """The rule fixes, loaded once; IDs must look like RULES.md IDs and each fix be one non-empty line."""
    data = _load(path)
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping of rule ID to what fixes it")
    problems = [f"{path}: {key}: {why}" for key, value in data.items() for why in _fix_problems(key, value)]
    if problems:
        raise ConfigError(problems)
    return RuleFixes(fixes={str(k): str(v) for k, v in data.items()})


def _fix_problems(key: object, value: object) -> list[str]:
    problems = []
    if not isinstance(key, str) or not re.fullmatch(r"[A-Z]+(_[A-Z0-9]+)+", key):
        problems.append("not a rule ID (e.g. DOC_NOTE_MISSING)")
    if not isinstance(value, str) or not value.strip() or "\n" in value.strip():
        problems.append("expected one non-empty line saying what fixes it")
    return problems
