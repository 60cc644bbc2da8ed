"""Run every applicable rule on a claim's context and collect all findings (never just the first)."""

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from config.profiles import PAYERS_DIR, PayerProfile, load_profiles
from config.settings import get_settings
from models.enums import Severity
from tasks.scrubbing.context import ClaimContext
from tasks.scrubbing.registry import Rule, all_rules


@dataclass(frozen=True)
class FindingValue:
    """A rule that fired: ID, severity, a message for a biller."""

    rule_id: str
    severity: Severity
    message: str


@dataclass(frozen=True)
class EffectiveRule:
    """A rule as in force for one payer: severity and parsed params after the profile's override."""

    rule: Rule[Any]
    severity: Severity
    params: Any
    overridden_by: str | None


@lru_cache(maxsize=1)
def profiles() -> dict[str, PayerProfile]:
    """The payer profiles (GROUPBILL_PAYERS_DIR or the shipped ones), checked against the rule catalogue
    (loaded once per process)."""
    rules = all_rules()
    return load_profiles(
        {rule_id: r.parse_params for rule_id, r in rules.items()}, get_settings().payers_dir or PAYERS_DIR
    )


@lru_cache(maxsize=64)
def ruleset(profile_name: str | None) -> tuple[tuple[EffectiveRule, ...], str]:
    """The rules in force for a profile (None: the defaults) and the hash that identifies them."""
    profile = profiles().get(profile_name or "_default") or profiles()["_default"]
    effective = []
    for rule_id, r in sorted(all_rules().items()):
        override = profile.override(rule_id)
        if override is not None and override.disabled:
            continue
        severity = Severity(override.severity) if override and override.severity else r.severity
        params = r.parse_params(override.params if override else {})
        effective.append(EffectiveRule(r, severity, params, profile.name if override else None))
    rules_part = [(e.rule.id, e.severity.value, e.params.model_dump(mode="json")) for e in effective]
    fingerprint = json.dumps([profile.model_dump(mode="json"), rules_part], sort_keys=True)
    return tuple(effective), hashlib.sha256(fingerprint.encode()).hexdigest()[:16]


@lru_cache(maxsize=64)
def _runnable(profile_name: str | None) -> tuple[tuple[tuple[str, Any, Any, Severity], ...], str]:
    """The ruleset as plain tuples for the hot loop: (rule ID, check, params, severity)."""
    rules, digest = ruleset(profile_name)
    return tuple((e.rule.id, e.rule.check, e.params, e.severity) for e in rules), digest


def scrub_context(ctx: ClaimContext) -> tuple[list[FindingValue], str]:
    """Every finding for one claim, and the hash of the ruleset that produced them."""
    rules, digest = _runnable(ctx.payer.profile if ctx.profile is not None else None)
    findings: list[FindingValue] = []
    for rule_id, check, params, severity in rules:
        for out in check(ctx, params):
            if out.__class__ is tuple:  # a rule with two levels says which one
                findings.append(FindingValue(rule_id, out[0], out[1]))
            else:
                findings.append(FindingValue(rule_id, severity, out))
    return findings, digest
