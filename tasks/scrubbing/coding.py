"""Payer coding: the place of service and modifiers a payer wants, derived from what happened.

Coding follows the record (modality, where the patient was, who led) and the payer profile;
when the record contradicts itself (a video session at the office), coding leaves it alone and
POS_TELEHEALTH_CODING tells the biller to fix the record.
"""

from dataclasses import dataclass

from models.enums import Modality
from tasks.scrubbing.context import ClaimContext
from tasks.scrubbing.rules.place import TELEHEALTH_MODIFIERS, TELEHEALTH_POS, modality, recorded_pos

MAX_MODIFIERS = 4


@dataclass(frozen=True)
class Coding:
    """The coded place of service and each line's modifiers (by line number)."""

    place_of_service: str
    modifiers: dict[int, list[str]]


def payer_coding(ctx: ClaimContext) -> Coding:
    """How this claim should be coded for its payer."""
    pos, remote = recorded_pos(ctx), modality(ctx) is not Modality.IN_PERSON
    profile = ctx.profile
    telehealth_modifier, claim_pos = None, pos
    if profile is not None and remote and pos in TELEHEALTH_POS:
        t = profile.telehealth
        audio = modality(ctx) is Modality.AUDIO_ONLY
        telehealth_modifier = t.audio_modifier if audio else t.video_modifier
        claim_pos = {"pos_and_modifier": pos, "gt": t.away_pos, "pos11_95": "11"}[t.convention]
    group_modifiers = list(profile.required_modifiers) if profile else []
    if profile and ctx.rendering and ctx.rendering.credential.value in profile.credential_modifiers:
        group_modifiers.append(profile.credential_modifiers[ctx.rendering.credential.value])
    coded = {}
    for line in ctx.lines:
        kept = [m for m in line.modifiers if m not in TELEHEALTH_MODIFIERS or not remote]
        wanted = ([telehealth_modifier] if telehealth_modifier else []) + (
            group_modifiers if line.cpt_code == "90853" else []
        )
        coded[line.line_number] = _merge(kept, wanted)
    return Coding(claim_pos, coded)


def _merge(kept: list[str], wanted: list[str]) -> list[str]:
    merged = list(dict.fromkeys([*wanted, *kept]))
    return merged[:MAX_MODIFIERS] if len(merged) > MAX_MODIFIERS else merged
