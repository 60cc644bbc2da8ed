"""`groupbill import`, `groupbill schema bundle` and `groupbill db`: practice data and the schema that
holds it."""

import json
from datetime import UTC, datetime
from pathlib import Path

import typer
from rich.console import Console
from sqlmodel import Session

from flows.cli.common import engine, out

schema_app = typer.Typer(help="Publish the import format.", no_args_is_help=True)
db_app = typer.Typer(help="The billing database's schema (migrations).", no_args_is_help=True)


def import_command(
    bundle: Path = typer.Argument(..., help="Practice bundle (JSON)."),
    max_mb: float = typer.Option(100, "--max-mb", help="Refuse a bundle file larger than this (MB).", min=0.001),
) -> None:
    """Import a practice bundle; a bad file changes nothing and exits 2."""
    from flows.cli.views import import_table, plural
    from models.db import session_scope
    from tasks.importing import import_bundle, load_bundle, roster_warnings

    checked = load_bundle(bundle, max_mb=max_mb)
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    for where, what in roster_warnings(checked):
        err.print(f"warning: {bundle}: {where}: {what}", markup=False)
    with session_scope(engine()) as session:
        report = import_bundle(session, checked)
    out.print(import_table(report))
    out.print(
        "nothing changed"
        if not report.changed
        else f"{plural(len(report.scheduled_session_ids), 'scheduled session')} new or changed"
    )
    _announce_future_sessions(report.scheduled_session_ids)


def _announce_future_sessions(session_ids: list[int]) -> None:
    """With a Prefect server configured, one `groupbill.session.scheduled` event per future session."""
    from config.settings import get_settings
    from flows.cli.views import plural
    from tasks.eligibility.announce import announce_scheduled, prefect_api_configured
    from tasks.eligibility.roster import future_sessions

    if not session_ids or not prefect_api_configured():
        return
    with Session(engine()) as session:
        upcoming = future_sessions(session, session_ids, get_settings().today())
    # Prefect's server judges events by the system clock, so they carry it (not groupbill's, models/clock.py)
    posted = announce_scheduled(upcoming, datetime.now(UTC))
    out.print(f"{plural(posted, 'session-scheduled event')} sent to Prefect (eligibility checks follow)")


@db_app.command("upgrade")
def db_upgrade(revision: str = typer.Argument("head", help="Revision to reach (default: the newest).")) -> None:
    """Migrate the billing database's schema (Alembic); every command does this to the newest first."""
    from config.settings import get_settings
    from models.db import make_engine
    from models.migrate import upgrade

    engine = make_engine(get_settings().database_url)
    try:
        out.print(f"billing database at revision {upgrade(engine, revision)}")
    finally:
        engine.dispose()


@db_app.command("current")
def db_current() -> None:
    """The billing database's schema revision, and the newest one this groupbill knows."""
    from config.settings import get_settings
    from models.db import make_engine
    from models.migrate import current, head

    engine = make_engine(get_settings().database_url)
    try:
        out.print(f"at {current(engine) or 'no revision'}; newest {head()}")
    finally:
        engine.dispose()


@schema_app.command("bundle")
def schema_bundle() -> None:
    """Print the JSON Schema of the import bundle."""
    from tasks.importing.schema import bundle_schema

    typer.echo(json.dumps(bundle_schema(), indent=2))
