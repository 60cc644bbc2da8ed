"""The `groupbill` command: its subcommands, and the entry point that turns groupbill's errors into one
line each and an exit code (2: bad input, 1: the database or another system failed)."""

import os
import sys
from pathlib import Path

import typer
from rich.console import Console
from sqlalchemy.exc import SQLAlchemyError

from flows.cli import claims
from flows.cli.alerts import alerts_app
from flows.cli.clearinghouse import clearinghouse_app
from flows.cli.coverage import auths_app, eligibility_app
from flows.cli.demo import demo
from flows.cli.followup import claims_quiet, claims_status
from flows.cli.sandbox import sandbox_app
from flows.cli.scrub import rules_app, scrub_app
from flows.cli.sessions import sessions_app
from flows.cli.setup import db_app, import_command, schema_app
from flows.cli.x12 import x12_app
from models.errors import GroupbillError, InputError

app = typer.Typer(
    help="Bill group psychotherapy (CPT 90853) without leaving money on the table.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
claims_app = typer.Typer(help="Look at, fix and resend claims; work queues.", no_args_is_help=True)
app.command("import")(import_command)
app.command()(demo)
app.command("daily")(claims.daily)
app.command("collect")(claims.collect)
app.command("report")(claims.report)
for _name in ("list", "rescrub", "resend", "correct", "void", "queue", "timely"):
    claims_app.command(_name)(getattr(claims, f"claims_{_name}"))
claims_app.command("status")(claims_status)
claims_app.command("quiet")(claims_quiet)
for _sub, _name in (
    (schema_app, "schema"),
    (db_app, "db"),
    (claims_app, "claims"),
    (sessions_app, "sessions"),
    (x12_app, "x12"),
    (sandbox_app, "sandbox"),
    (scrub_app, "scrub"),
    (rules_app, "rules"),
    (eligibility_app, "eligibility"),
    (auths_app, "auths"),
    (alerts_app, "alerts"),
    (clearinghouse_app, "clearinghouse"),
):
    app.add_typer(_sub, name=_name)

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
