"""POS_: place of service and telehealth coding."""

from collections.abc import Iterator

from config.profiles import AudioOnly
from models.enums import Modality, Severity
from tasks.scrubbing.context import ClaimContext
from tasks.scrubbing.registry import NoParams, rule

TELEHEALTH_POS = frozenset({"02", "10"})
TELEHEALTH_MODIFIERS = frozenset({"95", "93", "GT", "GQ", "FQ"})


def modality(ctx: ClaimContext) -> Modality:
    """How this attendee took part (their own, else the session's)."""
    return ctx.attendance.modality or ctx.session.modality


def recorded_pos(ctx: ClaimContext) -> str:
    """Where the attendee was, as the practice recorded it."""
    return ctx.attendance.place_of_service or ctx.session.place_of_service


@rule(
    "POS_TELEHEALTH_CODING",
    Severity.ERROR,
    "Telehealth session without the payer's telehealth coding, or an in-person session carrying 95/93/GT.",
)
def telehealth_coding(ctx: ClaimContext, _: NoParams) -> Iterator[str]:
    remote, pos = modality(ctx) is not Modality.IN_PERSON, recorded_pos(ctx)
    modifiers = {m for line in ctx.lines for m in line.modifiers}
    if remote and pos not in TELEHEALTH_POS:
        yield (
            f"A {modality(ctx).value.replace('_', ' ')} session is recorded at POS {pos}: record POS 10 (patient "
            "at home) or 02 (elsewhere)."
        )
    elif not remote and (pos in TELEHEALTH_POS or modifiers & TELEHEALTH_MODIFIERS):
        yield "An in-person session carries telehealth coding (POS 02/10 or 95/93/GT): correct the session."
    elif remote and ctx.profile is not None:
        t = ctx.profile.telehealth
        wanted = t.audio_modifier if modality(ctx) is Modality.AUDIO_ONLY else t.video_modifier
        if not all(wanted in line.modifiers for line in ctx.lines if line.cpt_code == "90853"):
            yield f"This payer wants telehealth coded with modifier {wanted}: re-code the claim."


@rule("POS_NOT_ALLOWED", Severity.ERROR, "The place of service is not allowed for 90853 by the payer.")
def not_allowed(ctx: ClaimContext, _: NoParams) -> Iterator[str]:
    if ctx.profile is not None and ctx.claim.place_of_service not in ctx.profile.places_of_service:
        yield f"This payer does not pay 90853 at place of service {ctx.claim.place_of_service}."


@rule(
    "POS_AUDIO_ONLY_NOT_ALLOWED",
    Severity.ERROR,
    "Audio-only session where the payer does not allow it (Medicare: only when the patient is at home).",
)
def audio_only_not_allowed(ctx: ClaimContext, _: NoParams) -> Iterator[str]:
    if modality(ctx) is not Modality.AUDIO_ONLY or ctx.profile is None:
        return
    rule_ = ctx.profile.telehealth.audio_only
    if rule_ is AudioOnly.NOT_ALLOWED:
        yield "This payer does not pay audio-only sessions: the attendee needed video."
    elif rule_ is AudioOnly.HOME_ONLY and recorded_pos(ctx) != "10":
        yield "This payer pays audio-only only when the patient is at home (POS 10)."
