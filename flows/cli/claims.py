"""`groupbill claims rescrub|resend|correct|void|queue|timely`, `groupbill daily|collect` and
`groupbill report`: fixing claims, running the day, and the numbers."""

import json
from dataclasses import asdict
from datetime import date

import typer
from rich.table import Table
from sqlmodel import Session

from flows.cli.common import OutputFormat, engine, out, parse_claim_status, parse_date, practice_today, record_id
from flows.cli.quiet import prefect_console_quiet

CLAIM_ID = typer.Argument(..., help="Claim ID (as `groupbill claims list` shows it).")


def claims_list(
    status: str | None = typer.Option(None, help="Only claims in this status."),
    session_id: str | None = typer.Option(
        None, "--session", help="Only claims of this session (bundle ID or record ID)."
    ),
    fmt: OutputFormat = typer.Option(OutputFormat.TABLE, "--format"),
) -> None:
    """List claims with their session, patient and payer IDs."""
    from flows.cli.views import claims_table
    from tasks.claims.listing import list_claims, resolve_session

    with Session(engine()) as session:
        found = resolve_session(session, session_id) if session_id else None
        ids = [found.record_id] if found else None
        rows = list_claims(session, status=parse_claim_status(status), session_ids=ids)
    if fmt is OutputFormat.JSON:
        typer.echo(json.dumps([r.as_json() for r in rows], indent=2))
        return
    if found:
        out.print(found.describe())
    out.print(claims_table(rows))


def _fix(action: str, claim_ref: str) -> None:
    from tasks.daily.pipeline import reprocess

    claim_id = record_id(claim_ref, "claim")
    result = reprocess(engine(), claim_id, action, source=f"cli:claims-{action}")
    state = "ready to send" if result["ready"] else "on hold (see `groupbill claims list`)"
    target = "" if result["claim_id"] == claim_id else f" as new claim {result['claim_id']}"
    out.print(f"claim {claim_id}: {action} done{target}; {state}. `groupbill daily` sends what is ready.")


def claims_rescrub(claim_id: str = CLAIM_ID) -> None:
    """Check an unsent claim again after its data was fixed."""
    _fix("rescrub", claim_id)


def claims_resend(claim_id: str = CLAIM_ID) -> None:
    """Resend a rejected claim (it never reached the payer) as a new original claim."""
    _fix("resend", claim_id)


def claims_correct(claim_id: str = CLAIM_ID) -> None:
    """Send a replacement (frequency 7, REF*F8 = payer claim number) for an adjudicated claim."""
    _fix("correct", claim_id)


def claims_void(claim_id: str = CLAIM_ID) -> None:
    """Void an adjudicated claim (frequency 8)."""
    _fix("void", claim_id)


def claims_queue(
    queue: str | None = typer.Option(None, help="Only this work queue (e.g. FIX_AND_RESEND, AUTHORIZATION)."),
    fmt: str = typer.Option("table", "--format", help="table or json"),
) -> None:
    """Open work items: what to fix on which claim, with the codes explained."""
    from tasks.reporting.queues import open_work

    with Session(engine()) as session:
        items = open_work(session, queue)
    rows = [
        {"item": w.id, "claim": w.claim_id, "queue": w.queue, "codes": w.codes, "explanation": w.explanation}
        for w in items
    ]
    if fmt == "json":
        typer.echo(json.dumps(rows, indent=2))
        return
    table = Table(title=f"Work queue ({len(rows)} open)", title_justify="left")
    for name in ("item", "claim", "queue", "codes", "explanation"):
        table.add_column(name)
    for w in items:
        table.add_row(str(w.id), str(w.claim_id or ""), w.queue, " ".join(w.codes), w.explanation)
    out.print(table)


def claims_timely(fmt: str = typer.Option("table", "--format", help="table or json")) -> None:
    """Claims not yet with the payer whose timely-filing limit is near or past."""
    from tasks.reporting.queues import timely_filing_queue
    from tasks.scrubbing.engine import profiles

    with Session(engine()) as session:
        rows = timely_filing_queue(session, profiles(), practice_today())
    if fmt == "json":
        typer.echo(json.dumps([asdict(r) | {"service_date": r.service_date.isoformat()} for r in rows], indent=2))
        return
    table = Table(title=f"Timely filing ({len(rows)})", title_justify="left")
    for name in ("claim", "status", "payer", "date of service", "limit", "days left", "state"):
        table.add_column(name)
    for r in rows:
        table.add_row(
            str(r.claim_id), r.status, r.payer_id, str(r.service_date), str(r.limit_days), str(r.days_left), r.state
        )
    out.print(table)


def report(
    date_from: str | None = typer.Option(None, "--from", help="First date of service (YYYY-MM-DD)."),
    date_to: str | None = typer.Option(None, "--to", help="Last date of service (YYYY-MM-DD)."),
    fmt: str = typer.Option("table", "--format", help="table or json"),
) -> None:
    """First-pass rates, denials by queue and CARC, money, days in A/R, authorization burn, holds by rule."""
    from config.reference_data import x12_codes
    from flows.cli.views import report_tables
    from tasks.reporting.gather import billing_report

    with Session(engine()) as session:
        found = billing_report(
            session,
            x12_codes(),
            today=practice_today(),
            date_from=parse_date(date_from, "--from"),
            date_to=parse_date(date_to, "--to"),
        )
    if fmt == "json":
        typer.echo(json.dumps(_as_json(found), indent=2))
        return
    for table in report_tables(found):
        out.print(table)


def _as_json(found: object) -> dict[str, object]:
    from tasks.reporting.metrics import Report

    assert isinstance(found, Report)
    return {
        "metrics": [asdict(m) for m in found.metrics],
        "denials_by_queue": dict(found.denials_by_queue),
        "denials_by_carc": dict(found.denials_by_carc),
        "holds_by_rule": dict(found.holds_by_rule),
        "ar_buckets": found.ar_buckets,
    }


def daily(
    date_from: str | None = typer.Option(None, "--from", help="First date of service (default: all unbilled)."),
    date_to: str | None = typer.Option(None, "--to", help="Last date of service."),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Draft and scrub, print the holds as `scrub --format json` does; keep, send nothing."
    ),
) -> None:
    """Run daily_claims now (draft, verify, scrub, send, collect) and print its counts."""
    from flows.claims import daily_claims

    window = (parse_date(date_from, "--from"), parse_date(date_to, "--to"))
    if dry_run:
        _preview(*window)
        return
    with prefect_console_quiet():
        counts = daily_claims(*window)
    out.print(_counts_table("Daily claims", counts))


def _preview(date_from: date | None, date_to: date | None) -> None:
    """The dry run: JSON rows on stdout, one line on stderr about what it did not do."""
    from tasks.daily.pipeline import Window, preview

    rows = preview(engine(), Window(date_from, date_to, practice_today()), source="cli:daily-dry-run")
    typer.echo(json.dumps(rows, indent=2))
    unverified = sum(any(f["rule"] == "ELIG_NOT_VERIFIED" for f in r["findings"]) for r in rows)
    note = f"; {unverified} held for ELIG_NOT_VERIFIED may pass once the run asks the payers" if unverified else ""
    typer.echo(f"dry run: nothing sent, nothing saved (eligibility as on file{note})", err=True)


def collect() -> None:
    """Run collect_reports now: apply every 999, 277CA and 835 waiting at the clearinghouse."""
    from flows.claims import collect_reports

    with prefect_console_quiet():
        counts = collect_reports()
    out.print(_counts_table("Reports collected", counts))


def _counts_table(title: str, counts: dict[str, int]) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column("step")
    table.add_column("count", justify="right")
    for name, n in counts.items():
        table.add_row(name, str(n))
    return table
