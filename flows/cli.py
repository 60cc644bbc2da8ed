"""The `groupbill` command line. Bad input: one line per problem on stderr and exit 2."""

import json
import os
import sys
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path

import typer
from rich.console import Console
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from flows import cli_claims
from flows.cli_alerts import alerts_app
from flows.cli_coverage import auths_app, eligibility_app
from flows.cli_demo import demo
from flows.cli_sandbox import sandbox_app
from flows.cli_scrub import rules_app, scrub_app
from flows.cli_x12 import x12_app
from models.enums import ClaimStatus
from models.errors import GroupbillError, InputError

app = typer.Typer(
    help="Bill group psychotherapy (CPT 90853) without leaving money on the table.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
schema_app = typer.Typer(help="Publish the import format.", no_args_is_help=True)
db_app = typer.Typer(help="The billing database's schema (migrations).", no_args_is_help=True)
claims_app = typer.Typer(help="Look at, fix and resend claims; work queues.", no_args_is_help=True)
sessions_app = typer.Typer(help="Look at group sessions.", no_args_is_help=True)
app.add_typer(schema_app, name="schema")
app.add_typer(db_app, name="db")
app.add_typer(claims_app, name="claims")
app.add_typer(sessions_app, name="sessions")
app.add_typer(x12_app, name="x12")
app.add_typer(sandbox_app, name="sandbox")
app.add_typer(scrub_app, name="scrub")
app.add_typer(rules_app, name="rules")
app.command()(demo)
app.command("daily")(cli_claims.daily)
app.command("collect")(cli_claims.collect)
app.command("report")(cli_claims.report)
for _name in ("rescrub", "resend", "correct", "void", "queue", "timely"):
    claims_app.command(_name)(getattr(cli_claims, f"claims_{_name}"))
app.add_typer(eligibility_app, name="eligibility")
app.add_typer(auths_app, name="auths")
app.add_typer(alerts_app, name="alerts")
out = Console() if sys.stdout.isatty() else Console(width=160)


class OutputFormat(StrEnum):
    """How a listing is printed."""

    TABLE = "table"
    JSON = "json"


def engine() -> Engine:
    """The billing database from settings, with its schema in place."""
    from config.settings import get_settings
    from tasks.runtime import engine_for

    return engine_for(get_settings().database_url)


@app.command("import")
def import_command(bundle: Path = typer.Argument(..., help="Practice bundle (JSON).")) -> None:
    """Import a practice bundle; a bad file changes nothing and exits 2."""
    from flows.views import import_table, plural
    from models.db import session_scope
    from tasks.importing import import_bundle, load_bundle, roster_warnings

    checked = load_bundle(bundle)
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
    from flows.views import plural
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


@claims_app.command("list")
def claims_list(
    status: str | None = typer.Option(None, help="Only claims in this status."),
    session_id: str | None = typer.Option(None, "--session", help="Only claims of this session (bundle ID)."),
    fmt: OutputFormat = typer.Option(OutputFormat.TABLE, "--format"),
) -> None:
    """List claims with their session, patient and payer IDs."""
    from flows.views import claims_table
    from tasks.claims.listing import find_session, list_claims

    with Session(engine()) as session:
        ids = [_session_id(find_session(session, session_id).id)] if session_id else None
        rows = list_claims(session, status=_claim_status(status), session_ids=ids)
    if fmt is OutputFormat.JSON:
        typer.echo(json.dumps([r.as_json() for r in rows], indent=2))
    else:
        out.print(claims_table(rows))


@sessions_app.command("show")
def sessions_show(session_id: str = typer.Argument(..., help="Session ID from the bundle.")) -> None:
    """Show one session: its roll-up and every attendee's note and claim."""
    from flows.views import attendee_table, rollup_table
    from tasks.claims.listing import find_session, session_attendees
    from tasks.claims.rollup import session_rollups

    with Session(engine()) as session:
        found = find_session(session, session_id)
        out.print(rollup_table(session_rollups(session, session_ids=[_session_id(found.id)])))
        out.print(attendee_table(session_attendees(session, _session_id(found.id))))


def _session_id(value: int | None) -> int:
    if value is None:
        raise GroupbillError("session without an ID")
    return value


def _claim_status(value: str | None) -> ClaimStatus | None:
    if value is None:
        return None
    try:
        return ClaimStatus(value)
    except ValueError:
        raise InputError(
            f"--status: unknown status {value!r} (one of {', '.join(s.value for s in ClaimStatus)})"
        ) from None


def record_id(value: str, what: str) -> int:
    """A record ID typed on the command line (a positive whole number), or one line saying it is not."""
    text = value.strip()
    if not text.isascii() or not text.isdigit() or len(text) > 18 or int(text) == 0:
        shown = value if len(value) <= 40 else value[:40] + "..."
        raise InputError(f"{what} ID {shown!r}: not a record ID (a positive whole number)")
    return int(text)


def _parse_date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{option}: {value!r} is not a date (YYYY-MM-DD)") from None


EPHEMERAL_STARTUP_SECONDS = 90


def _owner_only(state: Path) -> None:
    """What this process creates is owner-only, and what an older version left in `state` is made so."""
    from models.private import owner_only_umask, tighten_tree

    owner_only_umask()
    tighten_tree(state)


def main() -> None:
    """Entry point: runs the app and turns groupbill's errors into one line each and an exit code."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")  # an embedded server phones no one
    os.environ.setdefault("PREFECT_HOME", str(Path(".groupbill/prefect").resolve()))  # not ~/.prefect
    _owner_only(Path(".groupbill"))
    # The embedded server's first start creates and migrates its database: over Prefect's 20 s default
    # on a busy 2-core machine, which failed a fresh clone's `make demo` once.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", str(EPHEMERAL_STARTUP_SECONDS))
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        app()
    except InputError as exc:
        for line in exc.lines:
            err.print(f"error: {line}", markup=False)
        sys.exit(2)
    except GroupbillError as exc:
        err.print(f"error: {exc}", markup=False)
        sys.exit(1)
    except SQLAlchemyError as exc:
        err.print(
            f"error: database: {type(exc).__name__}: {str(exc.orig if hasattr(exc, 'orig') else exc).splitlines()[0]}",
            markup=False,
        )
        sys.exit(1)


if __name__ == "__main__":
    main()
