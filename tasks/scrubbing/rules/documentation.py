"""DOC_: the per-attendee documentation gate."""

from collections.abc import Iterator

from pydantic import Field

from models.enums import SessionType, Severity
from tasks.scrubbing.context import ClaimContext
from tasks.scrubbing.registry import NoParams, Params, rule

MIN_PARTICIPATION_CHARS = 20


class LateParams(Params):
    max_days: int = Field(7, ge=0)


@rule("DOC_NOTE_MISSING", Severity.ERROR, "Attendee marked present has no individual progress note for this session.")
def note_missing(ctx: ClaimContext, _: NoParams) -> Iterator[str]:
    if ctx.note is None:
        yield "No progress note for this attendee: write and sign the individual note for this session."


@rule(
    "DOC_NOTE_UNSIGNED",
    Severity.ERROR,
    "Note not signed, or signed by someone other than the rendering clinician (or a clinician the payer accepts).",
)
def note_unsigned(ctx: ClaimContext, _: NoParams) -> Iterator[str]:
    note = ctx.note
    if note is None:
        return
    if note.signer_id is None or note.signed_at is None:
        yield "The progress note is not signed: the rendering clinician must sign it."
        return
    accepted = {ctx.claim.rendering_provider_id}
    if ctx.profile is not None and ctx.profile.accepted_signers == "any_licensed":
        accepted |= set(ctx.leader_ids)
    if note.signer_id not in accepted:
        yield "The note is signed by someone the payer does not accept: the rendering clinician must sign it."


@rule(
    "DOC_PARTICIPATION_MISSING",
    Severity.ERROR,
    "Note lacks the attendee's own participation / response (a copy of the shared group text does not count).",
)
def participation_missing(ctx: ClaimContext, _: NoParams) -> Iterator[str]:
    note = ctx.note
    if note is None:
        return
    text = (note.participation or "").strip()
    shared = {(ctx.session.focus or "").strip().lower(), (note.interventions or "").strip().lower()}
    if len(text) < MIN_PARTICIPATION_CHARS or text.lower() in shared or not (note.response or "").strip():
        yield (
            "The note does not describe this attendee's own participation and response: add what they did "
            "and how they responded (the group's topic alone does not count)."
        )


@rule(
    "DOC_GOALS_MISSING",
    Severity.ERROR,
    "Neither the session focus/goals nor the attendee's treatment-plan goals addressed are recorded.",
)
def goals_missing(ctx: ClaimContext, _: NoParams) -> Iterator[str]:
    session_goals = bool((ctx.session.focus or "").strip() or ctx.session.goals)
    attendee_goals = bool(ctx.note and ctx.note.goals_addressed)
    if not session_goals and not attendee_goals:
        yield "No session focus or goals and no treatment-plan goals addressed: record what the session worked on."


@rule("DOC_TIMES_MISSING", Severity.WARN, "Session start/stop time missing.")
def times_missing(ctx: ClaimContext, _: NoParams) -> Iterator[str]:
    if ctx.session.start_time is None or ctx.session.end_time is None:
        yield "The session's start or stop time is missing: record both on the session."


@rule("DOC_PARTICIPANT_COUNT_MISSING", Severity.WARN, "Session has no recorded participant count.")
def participant_count_missing(ctx: ClaimContext, _: NoParams) -> Iterator[str]:
    if ctx.session.participant_count is None:
        yield "The session has no participant count: record how many took part."


@rule(
    "DOC_TREATMENT_PLAN_MISSING", Severity.ERROR, "No treatment plan in force for the patient on the date of service."
)
def treatment_plan_missing(ctx: ClaimContext, _: NoParams) -> Iterator[str]:
    if not any(plan.in_force(ctx.service_date) for plan in ctx.plans):
        yield f"No treatment plan in force on {ctx.service_date}: update or renew the patient's plan."


@rule("DOC_SIGNED_LATE", Severity.WARN, "Note signed more than `max_days` after the date of service.", LateParams)
def signed_late(ctx: ClaimContext, p: LateParams) -> Iterator[str]:
    if ctx.note is None or ctx.note.signed_at is None:
        return
    days = (ctx.local_date(ctx.note.signed_at) - ctx.service_date).days
    if days > p.max_days:
        yield f"The note was signed {days} days after the session (more than {p.max_days}): expect payer scrutiny."


@rule(
    "DOC_NOT_PSYCHOTHERAPY",
    Severity.ERROR,
    "Session type is not psychotherapy (support, social, educational, recreational) or has no licensed leader.",
)
def not_psychotherapy(ctx: ClaimContext, _: NoParams) -> Iterator[str]:
    if ctx.session.session_type is not SessionType.PSYCHOTHERAPY:
        yield (
            f"This is a {ctx.session.session_type.value} group, not group psychotherapy: it cannot be billed as 90853."
        )
    elif ctx.session.leader_id is None:
        yield "The session has no licensed leader recorded: record who led it."
