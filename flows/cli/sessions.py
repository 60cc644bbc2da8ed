"""`groupbill sessions`: one group session, its roll-up and every attendee's note and claim (names:
for the local operator only)."""

import typer
from sqlmodel import Session

from flows.cli.common import engine, out

sessions_app = typer.Typer(help="Look at group sessions.", no_args_is_help=True)


@sessions_app.command("show")
def sessions_show(session_id: str = typer.Argument(..., help="Session ID from the bundle.")) -> None:
    """Show one session: its roll-up and every attendee's note and claim."""
    from flows.cli.views import attendee_table, rollup_table
    from models.types import db_id
    from tasks.claims.listing import find_session, session_attendees
    from tasks.claims.rollup import session_rollups

    with Session(engine()) as session:
        found = find_session(session, session_id)
        out.print(rollup_table(session_rollups(session, session_ids=[db_id(found.id)])))
        out.print(attendee_table(session_attendees(session, db_id(found.id))))
