"""`groupbill claims status CLAIM_ID` (ask the payer about one claim now) and `groupbill claims quiet`
(the sent claims past their payer's turnaround, the longest waiting first)."""

import json
from dataclasses import asdict
from decimal import Decimal
from typing import TYPE_CHECKING

import typer
from rich.table import Table
from sqlmodel import Session

from flows.cli.common import OutputFormat, engine, out, practice_today, record_id

if TYPE_CHECKING:
    from tasks.claim_status.now import Asked
    from tasks.claim_status.quiet import QuietClaim

CLAIM_ID = typer.Argument(..., help="Claim ID (as `groupbill claims list` shows it).")


def claims_status(claim_id: str = CLAIM_ID, fmt: OutputFormat = typer.Option(OutputFormat.TABLE, "--format")) -> None:
    """Ask the claim's payer about it now (276/277); the answer is kept on the claim and filed like the morning's."""
    from tasks.claim_status.now import ask_one, asking_from_settings
    from tasks.runtime import clearinghouse

    asking = asking_from_settings(practice_today(), "cli:claims-status")
    found = ask_one(engine(), clearinghouse(paced=False), record_id(claim_id, "claim"), asking)
    if fmt is OutputFormat.JSON:
        typer.echo(json.dumps(asdict(found), indent=2))
        return
    out.print(_status_line(found), markup=False)


def _status_line(found: "Asked") -> str:
    head = f"claim {found.claim_id}"
    if not found.asked:
        return f"{head}: its clearinghouse connection cannot ask a payer about a claim (no 276/277); nothing asked"
    if found.channel == "mailbox":
        return f"{head}: a 276 is in the mailbox; the payer's 277 comes with the next `groupbill collect`"
    filed = f"; open work: {', '.join(found.open_queues)}" if found.open_queues else ""
    return f"{head}: {found.outcome} ({found.said or 'the 277 did not name the claim'}); now {found.status}{filed}"


def claims_quiet(fmt: OutputFormat = typer.Option(OutputFormat.TABLE, "--format")) -> None:
    """Sent claims past their payer's turnaround (no 277CA, or no 835), with days waiting and the last answer."""
    from config.settings import get_settings
    from tasks.claim_status.quiet import quiet_claims
    from tasks.scrubbing.engine import profiles

    with Session(engine()) as session:
        rows = quiet_claims(session, profiles(), practice_today(), get_settings().timezone)
    if fmt is OutputFormat.JSON:
        typer.echo(json.dumps([asdict(r) for r in rows], indent=2, default=str))
        return
    out.print(_quiet_table(rows))


def _quiet_table(rows: "list[QuietClaim]") -> Table:
    total = sum((r.charge for r in rows), start=Decimal(0))
    table = Table(title=f"Claims past their payer's turnaround ({len(rows)}, ${total:,.2f})", title_justify="left")
    for name in ("claim", "payer", "status", "sent", "days waiting", "why", "charge", "last asked", "last answer"):
        table.add_column(name, justify="right" if name in ("claim", "days waiting", "charge") else "left")
    for r in rows:
        table.add_row(
            str(r.claim_id),
            r.payer,
            r.status,
            str(r.sent_on),
            str(r.days_waiting),
            r.reason,
            f"${r.charge:,.2f}",
            str(r.last_asked_on or ""),
            r.last_answer or "",
        )
    return table
