"""Payer profiles (config/payers/*.yaml): payer policy as data, validated when loaded.

A profile extends `_default`: top-level keys replace the default's, and `rules` entries change a
rule's severity or params, or disable it, by its RULES.md ID. Rule IDs and parameter types are
checked against the rule catalogue handed in by the caller (config cannot import tasks/).
"""

import datetime as dt
from collections.abc import Callable, Mapping
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from models.errors import ConfigError

PAYERS_DIR = Path(__file__).with_name("payers")
DEFAULT_PROFILE = "_default"


class Strict(BaseModel):
    """Profile sections refuse unknown keys: a typo is an error, not a silent default."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class AudioOnly(StrEnum):
    """When a payer pays audio-only telehealth."""

    ALLOWED = "allowed"
    HOME_ONLY = "home_only"
    NOT_ALLOWED = "not_allowed"


class GroupSize(Strict):
    min: int = Field(2, ge=1)
    max: int = Field(12, ge=1)


class Telehealth(Strict):
    convention: Literal["pos_and_modifier", "gt", "pos11_95"] = "pos_and_modifier"
    home_pos: str = Field("10", pattern=r"^[0-9]{2}$")
    away_pos: str = Field("02", pattern=r"^[0-9]{2}$")
    video_modifier: str = Field("95", pattern=r"^[0-9A-Z]{2}$")
    audio_modifier: str = Field("93", pattern=r"^[0-9A-Z]{2}$")
    audio_only: AudioOnly = AudioOnly.ALLOWED


class FrequencyLimit(Strict):
    period: Literal["week", "month", "year"]
    max: int = Field(ge=1)


class AuthorizationPolicy(Strict):
    required: bool = False
    cpt_codes: list[str] = Field(default_factory=lambda: ["90853"])


class TimelyFiling(Strict):
    days: int = Field(365, ge=1)  # from the date of service (a claim to the primary payer)
    warn_at: float = Field(0.8, gt=0, le=1)
    after_prior_payer_days: int = Field(90, ge=1)  # a secondary's limit, from the prior payer's remittance date
    later_of_service_window: bool = False  # Medicaid: whichever ends later, `days` from service or the above


class Coordination(Strict):
    zero_balance_claims: bool = False  # bill this payer as secondary even when the prior payers left nothing


class EligibilityPolicy(Strict):
    service_type: str = Field("MH", pattern=r"^[0-9A-Z]{1,2}$")
    fallback_service_types: list[str] = Field(default_factory=list)
    max_age_days: int = Field(30, ge=0)


class FollowUp(Strict):
    """When a sent claim has gone quiet, and how often its payer is asked about it (276/277)."""

    ack_within_days: int = Field(3, ge=1)  # no 277CA this many days after sending: ask
    paid_within_days: int = Field(21, ge=1)  # no 835 this many days after sending: ask
    status_every_days: int = Field(7, ge=1)  # ask about one claim at most once in this many days
    era_grace_days: int = Field(7, ge=0)  # paid (277 F1) but still no 835 this many days after payment: MISSING_ERA


class RuleOverride(Strict):
    """One `rules` entry: change a rule by its ID."""

    id: str
    severity: Literal["error", "warn"] | None = None
    params: dict[str, Any] = Field(default_factory=dict)
    disabled: bool = False


class PayerProfile(Strict):
    """A payer's policy for group psychotherapy, merged over the defaults."""

    name: str
    description: str = ""
    group_size: GroupSize = GroupSize()
    places_of_service: list[str] = Field(default_factory=lambda: ["11", "02", "10"])
    telehealth: Telehealth = Telehealth()
    credentials: dict[str, dt.date | None] = Field(default_factory=dict)
    accepted_signers: Literal["rendering", "any_licensed"] = "rendering"
    required_modifiers: list[str] = Field(default_factory=list)
    credential_modifiers: dict[str, str] = Field(default_factory=dict)
    accepted_modifiers: list[str] = Field(default_factory=list)
    frequency_limit: FrequencyLimit | None = None
    second_session_same_day: bool = False
    authorization: AuthorizationPolicy = AuthorizationPolicy()
    timely_filing: TimelyFiling = TimelyFiling()
    coordination: Coordination = Coordination()
    eligibility: EligibilityPolicy = EligibilityPolicy()
    follow_up: FollowUp = FollowUp()
    rules: list[RuleOverride] = Field(default_factory=list)

    @model_validator(mode="after")
    def _sane(self) -> "PayerProfile":
        if self.group_size.min > self.group_size.max:
            raise ValueError("group_size.min is larger than group_size.max")
        return self

    def override(self, rule_id: str) -> RuleOverride | None:
        """This profile's change to a rule, if any."""
        return next((r for r in self.rules if r.id == rule_id), None)


# rule ID -> validator of its params (raises ValueError/ValidationError on bad params)
RuleCatalogue = Mapping[str, Callable[[dict[str, Any]], object]]


def load_profiles(catalogue: RuleCatalogue, folder: Path = PAYERS_DIR) -> dict[str, PayerProfile]:
    """Every profile in `folder`, merged over `_default` and checked; one line per problem."""
    raw = {path.stem: _read_yaml(path) for path in sorted(folder.glob("*.yaml"))}
    if DEFAULT_PROFILE not in raw:
        raise ConfigError(f"{folder}: no {DEFAULT_PROFILE}.yaml")
    problems: list[str] = []
    profiles = {}
    for name, data in raw.items():
        merged = _merge(raw[DEFAULT_PROFILE], data) if name != DEFAULT_PROFILE else data
        try:
            profile = PayerProfile.model_validate(merged)
        except ValidationError as exc:
            problems += [
                f"{folder / name}.yaml: {_loc(e['loc'])}: {e['msg'].removeprefix('Value error, ')}"
                for e in exc.errors()
            ]
            continue
        problems += _rule_problems(folder / f"{name}.yaml", profile, catalogue)
        profiles[name] = profile
    if problems:
        raise ConfigError(problems)
    return profiles


def _merge(default: dict[str, Any], profile: dict[str, Any]) -> dict[str, Any]:
    merged = {**default, **{k: v for k, v in profile.items() if k != "extends"}}
    merged["rules"] = [*(default.get("rules") or []), *(profile.get("rules") or [])]
    return merged


def _rule_problems(path: Path, profile: PayerProfile, catalogue: RuleCatalogue) -> list[str]:
    problems, seen = [], set()
    for i, entry in enumerate(profile.rules):
        where = f"{path}: rules[{i}] ({entry.id})"
        if entry.id not in catalogue:
            problems.append(f"{where}: unknown rule ID (see `groupbill rules list`)")
            continue
        if entry.id in seen:
            problems.append(f"{where}: rule listed twice")
        seen.add(entry.id)
        try:
            catalogue[entry.id](entry.params)
        except (ValueError, ValidationError) as exc:
            loc, msg = (
                (tuple(exc.errors()[0]["loc"]), exc.errors()[0]["msg"])
                if isinstance(exc, ValidationError)
                else ((), str(exc))
            )
            problems.append(f"{where}: params.{_loc(loc)}: {msg}")
    return problems


def _loc(loc: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in loc) or "(top level)"


class _UniqueKeyLoader(yaml.SafeLoader):
    """YAML that refuses a key given twice in one mapping (PyYAML keeps the last one silently)."""


def _no_duplicates(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    keys = [loader.construct_object(key, deep=deep) for key, _ in node.value]
    duplicates = sorted({str(k) for k in keys if keys.count(k) > 1})
    if duplicates:
        raise yaml.constructor.ConstructorError(None, None, f"duplicate key {duplicates[0]!r}", node.start_mark)
    mapping: dict[Any, Any] = loader.construct_mapping(node, deep=deep)
    return mapping


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_duplicates)


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)  # noqa: S506 (safe loader)
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read payer profile: {' '.join(str(exc).split())}") from None
    except RecursionError:
        raise ConfigError(f"{path}: nested too deeply to be a payer profile") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: a payer profile must be a mapping")
    if not isinstance(data.get("rules", []), list | None):
        raise ConfigError(f"{path}: rules must be a list of rule changes")
    data["rules"] = data.get("rules") or []  # `rules:` with nothing after it (YAML null): no changes
    if data.get("name") != path.stem:
        raise ConfigError(f"{path}: name must be {path.stem!r} (the file name), found {data.get('name')!r}")
    return data
