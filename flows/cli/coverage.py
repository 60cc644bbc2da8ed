"""`groupbill eligibility show` and `groupbill auths list`: what the local operator checks by hand."""

import json
from datetime import date
from pathlib import Path

import typer
from rich.table import Table
from sqlmodel import Session, col, select

from flows.cli.common import engine, out, parse_date, practice_today
from models.errors import InputError, OutputNotWritable, X12ParseError

eligibility_app = typer.Typer(help="Eligibility checks.", no_args_is_help=True)
auths_app = typer.Typer(help="Prior authorizations.", no_args_is_help=True)


@eligibility_app.command("show")
def eligibility_show(session_id: str = typer.Argument(..., help="The session's bundle ID or record ID.")) -> None:
    """Every attendee of a session, with names (local only), coverage status, copay and problems."""
    from models.patients import Patient
    from models.sessions import Attendance
    from tasks.claims.listing import resolve_session
    from tasks.eligibility.roster import eligibility_rows

    with Session(engine()) as session:
        found = resolve_session(session, session_id)
        rows = eligibility_rows(session, found.record_id)
        names = {
            a.id: f"{p.source_id} {p.first_name} {p.last_name}"
            for a, p in session.exec(
                select(Attendance, Patient)
                .join(Patient, col(Attendance.patient_id) == Patient.id)
                .where(Attendance.session_id == found.record_id)
            )
        }
    out.print(found.describe())
    table = Table(title=f"Eligibility for {found.group.source_id}", title_justify="left")
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

    return practice_today()


@auths_app.command("add")
def auths_add(
    patient: str = typer.Option(..., help="Patient ID from the bundle."),
    payer: str = typer.Option(..., help="Payer ID from the bundle."),
    number: str = typer.Option(..., help="The payer's authorization number."),
    units: int = typer.Option(..., help="Units (or visits) authorized."),
    start: str = typer.Option(..., "--from", help="First covered date (YYYY-MM-DD)."),
    end: str = typer.Option(..., "--to", help="Last covered date (YYYY-MM-DD)."),
    cpt: list[str] = typer.Option(["90853"], help="CPT codes covered (repeat the option)."),
    rendering: str | None = typer.Option(None, help="Only this rendering clinician (bundle ID)."),
    per_week: int | None = typer.Option(None, help="At most this many per week."),
    auth_id: str | None = typer.Option(None, "--id", help="ID for the authorization (default AUTH-<number>)."),
) -> None:
    """Record an authorization the payer granted."""
    _save(
        {
            "id": auth_id,
            "patient_id": patient,
            "payer_id": payer,
            "number": number,
            "units_authorized": units,
            "start_date": start,
            "end_date": end,
            "cpt_codes": cpt,
            "rendering_provider_id": rendering,
            "per_week_limit": per_week,
        },
        None,
    )


@auths_app.command("update")
def auths_update(
    auth_id: str = typer.Argument(..., help="Authorization ID."),
    units: int | None = typer.Option(None, help="New units (or visits) authorized."),
    start: str | None = typer.Option(None, "--from", help="New first covered date."),
    end: str | None = typer.Option(None, "--to", help="New last covered date."),
    number: str | None = typer.Option(None, help="New authorization number."),
    rendering: str | None = typer.Option(None, help="Restrict to this rendering clinician."),
) -> None:
    """Change an authorization (an extension, more units, a corrected number)."""
    _save(
        {
            "units_authorized": units,
            "start_date": start,
            "end_date": end,
            "number": number,
            "rendering_provider_id": rendering,
        },
        auth_id,
    )


def _save(fields: dict[str, object], auth_id: str | None) -> None:
    from models.db import session_scope
    from tasks.preauth.editing import save_authorization

    for key, option in (("start_date", "--from"), ("end_date", "--to")):
        if isinstance(fields.get(key), str):
            fields[key] = parse_date(str(fields[key]), option)
    with session_scope(engine()) as session:
        row = save_authorization(session, fields, existing_id=auth_id)
        out.print(f"authorization {row.source_id}: {row.units_authorized} units, {row.start_date} to {row.end_date}")


@auths_app.command("renew")
def auths_renew(
    auth_id: str = typer.Argument(..., help="Authorization ID to renew."),
    visits: int = typer.Option(12, help="Visits to request."),
    days: int = typer.Option(90, help="Days the renewal should cover, from the day after the current one ends."),
    out_file: Path = typer.Option(..., "--out", help="Where to write the 278 request (owner-only)."),
) -> None:
    """Write a 278 renewal request (005010X217) for an authorization that is ending or used up."""
    from config.settings import get_settings
    from tasks.preauth.renewal import renewal_request
    from tasks.submission.files import write_private

    now = get_settings().now()
    with Session(engine()) as session:
        text = renewal_request(
            session,
            auth_id,
            visits=visits,
            days=days,
            submitter_id=get_settings().submitter_id,
            control=int(now.strftime("%y%m%d%H%M")[-9:]),
            now=now,
        )
    try:
        write_private(out_file, text)
    except OutputNotWritable as exc:  # the --out argument is the problem: bad input
        raise InputError(f"--out: {exc}") from None
    out.print(f"278 renewal request for {auth_id} written to {out_file} ({visits} visits, {days} days)")


@auths_app.command("apply-278")
def auths_apply_278(path: Path = typer.Argument(..., help="A 278 response from the payer.")) -> None:
    """Record the payer's 278 answers (one or several in the file): a certification becomes an
    authorization; others are reported."""
    from models.db import session_scope
    from tasks.preauth.renewal import apply_response
    from tasks.x12.auth278 import read_278s
    from tasks.x12.detect import read_x12_file

    text = read_x12_file(path)
    try:
        reviews = read_278s(text)
    except X12ParseError as exc:
        raise exc.located(str(path)) from None
    try:
        with session_scope(engine()) as session:
            outcomes = [apply_response(session, review) for review in reviews]
    except InputError as exc:  # the file's answer does not fit our records: say which file
        raise InputError([f"{path}: {line}" for line in exc.lines]) from None
    for outcome in outcomes:
        saved = f"; authorization {outcome.authorization_id} recorded" if outcome.authorization_id else ""
        out.print(f"278 {outcome.action}: {outcome.meaning}{saved}")
