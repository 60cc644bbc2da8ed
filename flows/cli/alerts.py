"""`groupbill alerts`: failed or crashed runs, open until a later run of the flow completes or someone
acknowledges them."""

import json

import typer
from rich.table import Table

from flows.cli.common import engine, out, record_id

alerts_app = typer.Typer(help="Failed or crashed runs: list them, acknowledge them.", no_args_is_help=True)
STAMP = "%Y-%m-%d %H:%M"


@alerts_app.command("list")
def alerts_list(
    only_open: bool = typer.Option(False, "--open", help="Only alerts still open."),
    fmt: str = typer.Option("table", "--format", help="table or json"),
) -> None:
    """Alerts, newest first: the run, its state, its cause, and whether it is still open."""
    from sqlmodel import Session

    from config.settings import get_settings
    from tasks.alerting import list_alerts

    zone = get_settings().timezone
    with Session(engine()) as session:
        alerts = list_alerts(session, only_open=only_open)
    rows = [
        {
            "alert": a.id,
            "since": a.created_at.astimezone(zone).strftime(STAMP),
            "flow": a.flow_name or "",
            "run": a.run_name,
            "flow_run_id": a.flow_run_id,
            "state": a.state,
            "cause": a.cause or "",
            "closed": a.resolved_at.astimezone(zone).strftime(STAMP) if a.resolved_at else "",
            "closed_by": a.resolved_by or "",
        }
        for a in alerts
    ]
    if fmt == "json":
        typer.echo(json.dumps(rows, indent=1))
        return
    table = Table(title="Open alerts" if only_open else "Alerts")
    for column in ("alert", "since", "flow", "run", "state", "cause", "closed"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(str(row[c]) for c in ("alert", "since", "flow", "run", "state", "cause", "closed")))
    out.print(table if rows else ("No open alerts." if only_open else "No alerts."))


@alerts_app.command("ack")
def alerts_ack(alert_id: str = typer.Argument(..., help="The alert's number (`groupbill alerts list`).")) -> None:
    """Acknowledge an alert: someone has seen to it; it closes."""
    from models.db import session_scope
    from tasks.alerting import ACKNOWLEDGED, acknowledge

    number = record_id(alert_id, "alert")
    with session_scope(engine()) as session:
        closed_by = acknowledge(session, number).resolved_by
    earlier = f" (it was already closed: {closed_by})" if closed_by != ACKNOWLEDGED else ""
    out.print(f"alert {number} acknowledged{earlier}")
