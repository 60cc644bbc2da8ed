"""`groupbill scrub` and `groupbill rules list`: check claims without sending anything."""

import json
import sys

import typer
from rich.console import Console
from rich.table import Table

from flows.cli.common import engine, parse_date, practice_today
from models.errors import InputError

scrub_app = typer.Typer(help="Check claims against every rule (nothing is sent).", invoke_without_command=True)
rules_app = typer.Typer(help="The rule catalogue as in force for a payer.", no_args_is_help=True)


def _console() -> Console:
    return Console() if sys.stdout.isatty() else Console(width=200)


@scrub_app.callback()
def scrub(
    session_id: str | None = typer.Option(None, "--session", help="Only this session's claims (bundle or record ID)."),
    date_from: str | None = typer.Option(None, "--from", help="Dates of service from (YYYY-MM-DD)."),
    date_to: str | None = typer.Option(None, "--to", help="Dates of service to (YYYY-MM-DD)."),
    fmt: str = typer.Option("table", "--format", help="table or json"),
) -> None:
    """Run documentation, authorization, eligibility-freshness and scrub checks on unsent claims."""
    from models.db import lock_billing, session_scope
    from tasks.claims.listing import resolve_session
    from tasks.scrubbing.report import scrub_rows
    from tasks.scrubbing.run import scrub_claims, scrubbable_claims

    if fmt not in ("table", "json"):
        raise InputError("--format must be table or json")
    start, end = parse_date(date_from, "--from"), parse_date(date_to, "--to")
    with session_scope(engine()) as session:
        lock_billing(session)  # a daily run scrubbing now finishes first, then these claims get their turn
        found = resolve_session(session, session_id) if session_id else None
        session_ids = [found.record_id] if found else None
        ids = scrubbable_claims(session, session_ids=session_ids, date_from=start, date_to=end)
        report = scrub_claims(session, ids, today=practice_today(), source="cli:scrub")
        rows = scrub_rows(session, report)
    if fmt == "json":
        typer.echo(json.dumps(rows, indent=2))
        return
    out = _console()
    if found:
        out.print(found.describe())
    table = Table(title=f"Scrub: {report.ready} ready, {report.on_hold} on hold", title_justify="left")
    for name in ("claim", "session", "patient", "payer", "status", "rule", "severity", "message"):
        table.add_column(name)
    for row in rows:
        for f in row["findings"] or [{"rule": "", "severity": "", "message": ""}]:
            table.add_row(
                str(row["claim_id"]),
                row["session_id"],
                row["patient_id"],
                row["payer_id"],
                row["status"],
                f["rule"],
                f["severity"],
                f["message"],
            )
    out.print(table)


@rules_app.command("list")
def rules_list(
    payer: str | None = typer.Option(None, "--payer", help="Payer profile name or payer ID from the bundle."),
    fmt: str = typer.Option("table", "--format", help="table or json"),
) -> None:
    """Every rule: ID, severity, params, description, what fixes a claim it holds, and what overrides it."""
    from tasks.scrubbing.report import catalogue

    rows = catalogue(_profile_name(payer))
    if fmt == "json":
        typer.echo(json.dumps(rows, indent=2))
        return
    table = Table(title=f"Rules for {_profile_name(payer) or '_default'}", title_justify="left")
    for name in ("rule", "severity", "params", "overridden by", "description", "what fixes it"):
        table.add_column(name)
    for r in rows:
        table.add_row(
            r["rule"],
            r["severity"],
            json.dumps(r["params"]) if r["params"] else "",
            r["overridden_by"] or "",
            r["description"],
            r["fix"],
        )
    _console().print(table)


def _profile_name(payer: str | None) -> str | None:
    """A profile name given directly, or the profile of a payer given by its bundle ID."""
    if payer is None:
        return None
    from sqlmodel import Session, select

    from models.practice import Payer
    from tasks.scrubbing.engine import profiles

    if payer in profiles():
        return payer
    with Session(engine()) as session:
        found = session.exec(select(Payer).where(Payer.source_id == payer)).first()
    if found is None:
        raise InputError(f"--payer: {payer!r} is neither a payer profile nor a payer ID")
    return found.profile
