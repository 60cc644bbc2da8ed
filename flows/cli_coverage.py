"""`groupbill eligibility show` and `groupbill auths list`: what the local operator checks by hand."""

import json
from datetime import date, datetime

import typer
from rich.table import Table
from sqlmodel import Session, col, select

eligibility_app = typer.Typer(help="Eligibility checks.", no_args_is_help=True)
auths_app = typer.Typer(help="Prior authorizations.", no_args_is_help=True)


@eligibility_app.command("show")
def eligibility_show(session_id: str = typer.Argument(..., help="Session ID from the bundle.")) -> None:
    """Every attendee of a session, with names (local only), coverage status, copay and problems."""
    from flows.cli import engine, out
    from models.patients import Patient
    from models.sessions import Attendance
    from tasks.claims.listing import find_session
    from tasks.eligibility.roster import eligibility_rows

    with Session(engine()) as session:
        found = find_session(session, session_id)
        rows = eligibility_rows(session, found.id or 0)
        names = {
            a.id: f"{p.source_id} {p.first_name} {p.last_name}"
            for a, p in session.exec(
                select(Attendance, Patient)
                .join(Patient, col(Attendance.patient_id) == Patient.id)
                .where(Attendance.session_id == found.id)
            )
        }
    table = Table(title=f"Eligibility for {session_id}", title_justify="left")
    for name in ("patient", "status", "copay", "auth required", "problem"):
        table.add_column(name)
    for row in rows:
        table.add_row(
            names.get(row["attendance_id"], "?"),
            str(row["status"]),
            str(row["copay"] or ""),
            {True: "yes", None: ""}.get(row["auth_required"], "no"),
            str(row["problem"]),
        )
    out.print(table)


@auths_app.command("list")
def auths_list(
    alerts: bool = typer.Option(False, "--alerts", help="Only authorizations that need action."),
    fmt: str = typer.Option("table", "--format", help="table or json"),
) -> None:
    """Authorizations with units authorized, reserved, consumed and left (from the ledger), and alerts."""
    from flows.cli import engine, out
    from tasks.preauth.report import authorization_rows

    with Session(engine()) as session:
        rows = authorization_rows(session, today=_today())
    if alerts:
        rows = [r for r in rows if r["alerts"]]
    if fmt == "json":
        typer.echo(json.dumps(rows, indent=2, default=str))
        return
    table = Table(title=f"Authorizations ({len(rows)})", title_justify="left")
    for name in ("auth", "patient", "payer", "number", "from", "to", "units", "reserved", "consumed", "left", "alerts"):
        table.add_column(name)
    for r in rows:
        table.add_row(
            r["authorization_id"],
            r["patient_id"],
            r["payer_id"],
            r["number"],
            str(r["start_date"]),
            str(r["end_date"]),
            str(r["authorized"]),
            str(r["reserved"]),
            str(r["consumed"]),
            str(r["remaining"]),
            "; ".join(a["detail"] for a in r["alerts"]),
        )
    out.print(table)


def _today() -> date:
    from config.settings import get_settings

    return datetime.now(get_settings().timezone).date()
