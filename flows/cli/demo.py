"""`groupbill demo`: the synthetic practice through the whole pipeline, embedded (SQLite, ephemeral
Prefect, sandbox clearinghouse): eligibility, daily claims, report collection until the 835s are
back, then the next payers' claims those 835s made (as the following nights would send them), then
the billing report and what the secondaries recovered."""

import os
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import typer
from sqlmodel import Session, col, select

from flows.cli.common import engine, out, parse_date, practice_today
from flows.cli.quiet import prefect_console_quiet

REPORT_ROUNDS = 5
NEXT_PAYER_NIGHTS = 2  # the secondaries the primaries' 835s made, then the tertiaries


def demo(
    seed: int = typer.Option(7, help="Seed of the synthetic practice."),
    folder: Path = typer.Option(Path(".groupbill/demo"), help="Where the bundle, roster and manifest go."),
    today: str | None = typer.Option(None, help="Pretend today is this date (YYYY-MM-DD)."),
    quiet_claims: bool = typer.Option(
        False,
        "--quiet-claims",
        help="The sandbox payers lose a claim, lose an 835, pend a claim and ask for documents (four patients); "
        "the claim status follow-up then runs on the mornings those claims go quiet.",
    ),
) -> None:
    """Generate a practice, import it, verify coverage, bill it, collect acknowledgements and payments, report."""
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")  # progress is shown here; Prefect keeps its logs

    pretend = parse_date(today, "--today")
    if pretend is not None:
        _move_clock_to_day(pretend)
    day = practice_today()
    _setup(seed, folder, day, quiet_claims)
    with prefect_console_quiet():
        counts = _run_pipeline(day)
        followed = _follow_up(day) if quiet_claims else None
    _show(counts, day)
    if followed is not None:
        out.print(_follow_up_line(followed))


def _move_clock_to_day(day: date) -> None:
    """The one clock reads `day` at the current local time: every step's "today" and "now" agree on it."""
    from config.settings import get_settings, move_clock_to

    move_clock_to(datetime.combine(day, get_settings().now().timetz()))


def _setup(seed: int, folder: Path, day: date, quiet_claims: bool) -> None:
    from config.settings import get_settings
    from flows.cli.views import import_table
    from models.db import session_scope
    from tasks.importing import import_bundle, load_bundle
    from tasks.synthetic import generate_practice, write_practice
    from tasks.synthetic.generate import install_roster

    practice = generate_practice(seed, day, quiet_claims=quiet_claims)
    files = write_practice(practice, folder)
    install_roster(practice, get_settings().sandbox_dir)
    out.print(f"synthetic practice written to {folder} (bundle, payer roster, defect manifest)")
    with session_scope(engine()) as session:
        out.print(import_table(import_bundle(session, load_bundle(files["bundle"]))))


def _run_pipeline(day: date) -> dict[str, int]:
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from flows.claims import daily_claims
    from flows.eligibility import eligibility_check

    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    with Progress(*columns, console=out, transient=False) as progress:
        step = progress.add_task("eligibility for the next three days' sessions", total=1)
        upcoming = eligibility_check(date_from=day + timedelta(days=1), date_to=day + timedelta(days=3))
        progress.update(step, completed=1, description=f"eligibility: {upcoming.get('checked', 0)} checked")
        step = progress.add_task("daily claims: draft, verify, scrub, 837P, submit", total=1)
        counts = daily_claims(as_of=day, collect=False)
        progress.update(step, completed=1, description=f"daily claims: {counts.get('claims_sent', 0)} sent")
        _collect(progress, counts, "collecting 999, 277CA and 835 reports")
        for night in range(NEXT_PAYER_NIGHTS):
            if not _next_payers_waiting():
                break
            step = progress.add_task("the next payers' claims the 835s made: scrub, 837P, submit", total=1)
            sent = daily_claims(as_of=day, collect=False).get("claims_sent", 0)
            counts["next_payer_claims_sent"] = counts.get("next_payer_claims_sent", 0) + sent
            progress.update(step, completed=1, description=f"next payers (night {night + 2}): {sent} sent")
            _collect(progress, counts, "collecting the next payers' reports")
    return counts


def _collect(progress: Any, counts: dict[str, int], what: str) -> None:
    """Collect reports until every sent claim is adjudicated (at most REPORT_ROUNDS polls of the feed)."""
    from flows.claims import collect_reports

    step = progress.add_task(what, total=REPORT_ROUNDS)
    for _ in range(REPORT_ROUNDS):
        collected = collect_reports()
        counts |= {f"reports_{k}": counts.get(f"reports_{k}", 0) + v for k, v in collected.items()}
        progress.advance(step)
        if not _awaiting_payer():
            break
    progress.update(step, completed=REPORT_ROUNDS, description="reports collected")


def _follow_up(day: date) -> dict[str, int]:
    """claim_status on the morning after the longest acknowledgement turnaround, then after the longest
    payment turnaround (as its daily schedule would): the counts of both mornings added up."""
    from flows.claim_status import claim_status
    from tasks.scrubbing.engine import profiles

    policies = [p.follow_up for p in profiles().values()]
    mornings = (max(p.ack_within_days for p in policies) + 1, max(p.paid_within_days for p in policies) + 1)
    found: dict[str, int] = {}
    for days in mornings:
        for name, n in claim_status(as_of=day + timedelta(days=days)).items():
            found[name] = found.get(name, 0) + n
    return found | {"mornings": len(mornings), "last_morning": mornings[-1]}


def _follow_up_line(c: dict[str, int]) -> str:
    """One line: what the claim status follow-up found, asked and filed."""
    return (
        f"claim status follow-up (days {c['last_morning']} and earlier after sending): {c.get('quiet', 0)} claims "
        f"past their payer's turnaround, {c.get('asked_real_time', 0) + c.get('asked_by_mailbox', 0)} asked; "
        f"filed: MISSING_CLAIM {c.get('queue_MISSING_CLAIM', 0)}, MISSING_ERA {c.get('queue_MISSING_ERA', 0)}, "
        f"REQUESTED_INFO {c.get('queue_REQUESTED_INFO', 0)}, denials {c.get('answer_denied', 0)}; "
        f"{c.get('answer_pended', 0)} pended (wait), {c.get('answer_accepted', 0)} accepted, "
        f"{c.get('answer_awaiting_era', 0)} paid with the 835 still in its grace period"
    )


def _next_payers_waiting() -> int:
    """Secondary and tertiary claims the 835s made that no daily run has checked yet."""
    from models.claims import Claim
    from models.enums import ClaimStatus, PayerSequence

    with Session(engine()) as session:
        query = select(Claim.id).where(
            Claim.status == ClaimStatus.DRAFT, col(Claim.payer_sequence) != PayerSequence.PRIMARY
        )
        return len(session.exec(query).all())


def _awaiting_payer() -> int:
    """Claims the payer has not adjudicated yet."""
    from models.claims import Claim
    from models.enums import ClaimStatus

    waiting = (ClaimStatus.SUBMITTING, ClaimStatus.SUBMITTED, ClaimStatus.ACCEPTED)
    with Session(engine()) as session:
        return len(session.exec(select(Claim.id).where(col(Claim.status).in_(waiting))).all())


def _show(counts: dict[str, int], day: date) -> None:
    from config.reference_data import x12_codes
    from config.settings import get_settings
    from flows.cli.views import plural, report_tables, rollup_table
    from tasks.claims.rollup import session_rollups
    from tasks.reporting.gather import billing_report

    out.print(
        f"claims: {counts.get('drafted', 0)} drafted, {counts.get('already_drafted', 0)} already drafted, "
        f"{plural(counts.get('no_coverage', 0), 'attendee')} without coverage in force"
    )
    out.print(f"eligibility: {counts.get('checked', 0)} checked, {counts.get('reused', 0)} reused")
    out.print(f"scrub: {counts.get('ready', 0)} ready, {counts.get('on_hold', 0)} on hold")
    out.print(
        f"submitted: {plural(counts.get('claims_sent', 0), 'claim')} "
        f"in {plural(counts.get('batches_sent', 0), '837P file')}; "
        f"reports: {counts.get('reports_accepted', 0)} accepted, {counts.get('reports_rejected', 0)} rejected, "
        f"{counts.get('reports_claim_payments', 0)} adjudicated"
    )
    with Session(engine()) as session:
        out.print(rollup_table(session_rollups(session)))
        for table in report_tables(billing_report(session, x12_codes(), today=day)):
            out.print(table)
        out.print(_coordination(session, counts))
    out.print(f"837P files: {get_settings().output_dir / '837p'}; work queues: `groupbill claims queue`")


def _coordination(session: Session, counts: dict[str, int]) -> str:
    """One line: what the second and third payers recovered, and the outcome of each payer-to-payer step."""
    from models.claims import Claim
    from tasks.reporting.cob import cob_outcomes

    o = cob_outcomes(session, list(session.exec(select(Claim))))
    return (
        f"coordination of benefits: the secondary and tertiary payers recovered ${o.recovered:,.2f} "
        f"(${o.crossover_paid:,.2f} of it on crossovers) on ${o.next_payers_billed:,.2f} billed in "
        f"{counts.get('next_payer_claims_sent', 0)} claims. Payer-to-payer steps: {o.crossed_over} crossed over, "
        f"{o.billed} billed (the next payer's claim made), {o.nothing_left} nothing left, {o.order_disputed} "
        f"order disputed (CARC 22); {o.waiting} wait for a payer before the next to answer. Patient "
        f"responsibility after all payers: ${o.patient_after_all:,.2f} (${o.written_off:,.2f} more written off for "
        "Medicaid members)"
    )
