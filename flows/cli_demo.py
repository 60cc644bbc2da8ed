"""`groupbill demo`: the synthetic practice through as much of the pipeline as exists, embedded."""

from datetime import UTC, datetime
from pathlib import Path

import typer
from sqlmodel import Session


def demo(
    seed: int = typer.Option(7, help="Seed of the synthetic practice."),
    folder: Path = typer.Option(Path(".groupbill/demo"), help="Where the bundle, roster and manifest go."),
    today: str | None = typer.Option(None, help="Pretend today is this date (YYYY-MM-DD)."),
) -> None:
    """Generate the practice, import it, draft claims, verify coverage with the sandbox, scrub, show sessions."""
    from config.fees import load_fee_schedule
    from config.settings import get_settings
    from flows.cli import _parse_date, engine, out
    from flows.cli_scrub import practice_today
    from flows.views import draft_line, holds_table, import_table, rollup_table
    from models.db import session_scope
    from tasks.claims.drafting import draft_claims
    from tasks.claims.rollup import session_rollups
    from tasks.clearinghouse import open_clearinghouse
    from tasks.eligibility.check import claim_coverage_dates, run_checks
    from tasks.importing import import_bundle, load_bundle
    from tasks.scrubbing.engine import profiles
    from tasks.scrubbing.run import scrub_claims, scrubbable_claims
    from tasks.synthetic import generate_practice, write_practice
    from tasks.synthetic.generate import install_roster

    settings = get_settings()
    day = _parse_date(today, "--today") or practice_today()
    practice = generate_practice(seed, day)
    files = write_practice(practice, folder)
    install_roster(practice, settings.sandbox_dir)
    out.print(f"synthetic practice written to {folder} (bundle, payer roster, defect manifest)")
    db = engine()
    with session_scope(db) as session:
        report = import_bundle(session, load_bundle(files["bundle"]))
        drafted = draft_claims(session, report.practice_id, load_fee_schedule(), source="cli:demo")
    out.print(import_table(report))
    out.print(draft_line(drafted))
    with session_scope(db) as session:
        ids = scrubbable_claims(session)
        checks = run_checks(
            session,
            open_clearinghouse(settings),
            claim_coverage_dates(session, ids),
            profiles=profiles(),
            now=datetime.now(UTC),
        )
        scrubbed = scrub_claims(session, ids, today=day, source="cli:demo")
    out.print(
        f"eligibility: {checks.checked} checked, {checks.reused} reused "
        f"({', '.join(f'{n} {k}' for k, n in sorted(checks.outcomes.items()))})"
    )
    out.print(f"scrub: {scrubbed.ready} ready, {scrubbed.on_hold} on hold")
    out.print(holds_table(scrubbed.holds_by_rule))
    with Session(db) as session:
        out.print(rollup_table(session_rollups(session)))
