"""`groupbill sessions`: one group session, its roll-up and every attendee's note and claim (names:
for the local operator only)."""

import json

import typer
from sqlmodel import Session

from flows.cli.common import OutputFormat, engine, out, parse_date, practice_today

sessions_app = typer.Typer(help="Look at group sessions.", no_args_is_help=True)


@sessions_app.command("show")
def sessions_show(session_id: str = typer.Argument(..., help="The session's bundle ID or record ID.")) -> None:
    """Show one session: its roll-up and every attendee's note and claim."""
    from flows.cli.views import attendee_table, rollup_table
    from tasks.claims.listing import resolve_session, session_attendees
    from tasks.claims.rollup import session_rollups

    with Session(engine()) as session:
        found = resolve_session(session, session_id)
        out.print(found.describe())
        out.print(rollup_table(session_rollups(session, session_ids=[found.record_id])))
        out.print(attendee_table(session_attendees(session, found.record_id)))


@sessions_app.command("list")
def sessions_list(
    date_from: str | None = typer.Option(None, "--from", help="Dates from (YYYY-MM-DD)."),
    date_to: str | None = typer.Option(None, "--to", help="Dates to (YYYY-MM-DD)."),
    upcoming: bool = typer.Option(False, "--upcoming", help="Only sessions from today on."),
    fmt: OutputFormat = typer.Option(OutputFormat.TABLE, "--format"),
) -> None:
    """Group sessions with both their IDs (record ID: events, run names, artifacts; bundle ID: the practice
    system's), their roster and where their billing stands."""
    from flows.cli.views import rollup_table
    from tasks.claims.rollup import session_rollups

    start = practice_today() if upcoming else parse_date(date_from, "--from")
    with Session(engine()) as session:
        rollups = session_rollups(session, date_from=start, date_to=parse_date(date_to, "--to"))
    if fmt is OutputFormat.JSON:
        rows = [
            {
                "record_id": r.session_id,
                "bundle_id": r.source_id,
                "date": r.service_date.isoformat(),
                "program": r.program,
                "status": r.session_status.value,
                "roster": r.roster,
                "attended": r.attended,
                "billing": r.state,
            }
            for r in rollups
        ]
        typer.echo(json.dumps(rows, indent=2))
        return
    out.print(rollup_table(rollups))
