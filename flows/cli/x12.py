"""`groupbill x12 parse|validate`: read any X12 file groupbill knows, or ask pyx12 for its verdict."""

import json
import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from models.errors import X12ParseError

x12_app = typer.Typer(
    help="Read and check X12 files (837P, 270, 271, 276, 277, 999, 277CA, 835, 278).", no_args_is_help=True
)
MAX_MB = typer.Option(100, "--max-mb", help="Refuse a file larger than this (MB).", min=0.001)


@x12_app.command("parse")
def parse(
    file: Path = typer.Argument(..., help="An X12 file."),
    fmt: str = typer.Option("table", "--format", help="table or json"),
    max_mb: float = MAX_MB,
) -> None:
    """Detect the transactions and print them; malformed input exits 2 with one line.

    A file of one kind prints as one reading (JSON object); a file mixing kinds (or several 278s)
    prints each transaction set (JSON: a list of objects).
    """
    from tasks.x12.detect import parse_file, read_x12_file

    if fmt not in ("table", "json"):
        raise X12ParseError("--format must be table or json", source=str(file))
    text = read_x12_file(file, max_mb)
    try:
        readings = parse_file(text)
    except X12ParseError as exc:
        raise exc.located(str(file)) from None
    documents = [parsed.as_json() for _, parsed in readings]
    if fmt == "json":
        typer.echo(json.dumps(documents[0] if len(documents) == 1 else documents, indent=2))
    else:
        console = Console(width=160 if not sys.stdout.isatty() else None)
        for (kind, _), data in zip(readings, documents, strict=True):
            console.print(_summary(kind, data))
    for _, parsed in readings:
        imbalances = getattr(parsed, "imbalances", None)
        for problem in imbalances() if imbalances else []:
            typer.echo(f"warning: {file}: out of balance: {problem}", err=True)


@x12_app.command("validate")
def validate(
    file: Path = typer.Argument(..., help="An X12 file."),
    max_problems: int = typer.Option(50, "--max-problems", help="Stop after this many problems.", min=1),
    max_mb: float = MAX_MB,
) -> None:
    """pyx12's verdict, or groupbill's where pyx12 cannot judge: exit 0 valid, 1 invalid, 2 unreadable."""
    from tasks.x12.detect import known_sets, parse_each, read_x12_file
    from tasks.x12.referee import verdict

    text = read_x12_file(file, max_mb)
    try:
        units = known_sets(text, strict=False)  # a wrong count is a verdict, not unreadable input
    except X12ParseError as exc:
        raise exc.located(str(file)) from None
    groups = [(u.group.functional_id, u.group.version, u.kind) for u in units]
    found = verdict(text, groups, parse_each, max_problems)
    said = "" if found.judge == "pyx12" else f"; judged by groupbill's reader because {found.judge}"
    for problem in found.problems[:max_problems]:
        typer.echo(f"{file}: {problem}{said}")
    if len(found.problems) > max_problems:
        typer.echo(f"{file}: stopped after the first {max_problems} problems (--max-problems N for more)")
    if not found.valid:
        raise typer.Exit(1)
    typer.echo(f"{file}: valid{said}")


def _summary_278(data: dict) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:  # type: ignore[type-arg]
    """A 278 request, and the payer's decision when it is a response."""
    decision = data["decision"] or {}
    columns = ("trace", "member", "procedure", "from", "to", "visits", "decision", "certification", "approved")
    row = (
        data["trace_number"],
        str(data["member_id"]),
        data["procedure"],
        str(data["start"]),
        str(data["end"]),
        str(data["visits"]),
        f"{decision['action']} {decision['meaning']}" if decision else "(request)",
        str(decision.get("certification_number") or ""),
        str(decision.get("approved") if decision.get("approved") is not None else ""),
    )
    return columns, [row]


def _summary(kind: str, data: dict) -> Table:  # type: ignore[type-arg]
    """A short table of what the file holds."""
    table = Table(title=f"X12 {kind}", title_justify="left")
    rows: list[tuple[str, ...]]
    columns: tuple[str, ...]
    if kind == "837":
        columns = ("claim", "payer", "charge", "pos", "freq", "diagnoses", "lines", "other payers (paid)")
        rows = [
            (
                c["patient_control_number"],
                c["payer_sequence"],
                c["charge"],
                c["place_of_service"],
                c["frequency"],
                " ".join(c["diagnoses"]),
                " ".join(x["procedure_code"] for x in c["lines"]),
                " ".join(
                    f"{o['sequence']}:{o['payer_id']}" + (f" ({o['paid']})" if o["paid"] else "")
                    for o in c["other_payers"]
                ),
            )
            for c in data["claims"]
        ]
    elif kind == "835":
        columns = ("trace", "payer", "paid", "claim", "status", "charge", "claim paid", "patient resp")
        rows = [
            (
                p["trace_number"],
                p["payer_id"],
                p["payment_amount"],
                c["patient_control_number"],
                c["status_code"],
                c["charge"],
                c["paid"],
                c["patient_responsibility"],
            )
            for p in data["payments"]
            for c in p["claims"]
        ]
    elif kind == "277":
        status_response = "guide" in data  # a claim status response (X212), not a 277CA
        columns = ("claim", "payer claim", "statuses", *(("paid", "adjudicated") if status_response else ()))
        rows = [
            (
                str(c["patient_control_number"] or ""),
                c["payer_claim_number"] or "",
                " ".join(f"{s['category']}:{s['status']}" for s in c["statuses"]),
                *((str(c["paid"] or ""), str(c["adjudicated_on"] or "")) if status_response else ()),
            )
            for c in data["claims"]
        ]
    elif kind == "999":
        columns = ("group", "group status", "set", "set status", "errors")
        rows = [
            (g["group_control_number"], g["status"], s["set_control_number"], s["status"], str(len(s["errors"])))
            for g in data["groups"]
            for s in g["sets"]
        ]
    elif kind == "271":
        columns = ("member", "patient", "active", "plan begin", "plan end", "benefits", "errors")
        rows = [
            (
                str(s["member_id"]),
                str(s["patient_level"]),
                str(s["plan_active"]),
                str(s["plan_begin"]),
                str(s["plan_end"]),
                str(len(s["benefits"])),
                " ".join(e["code"] for e in s["errors"]),
            )
            for s in data["subscribers"]
        ]
    elif kind == "278":
        columns, rows = _summary_278(data)
    elif kind == "276":
        columns = ("trace", "claim", "payer claim", "member", "charge", "from", "to")
        rows = [
            (
                c["trace_number"],
                c["patient_control_number"],
                str(c["payer_claim_number"] or ""),
                str(c["member_id"]),
                c["charge"],
                c["date"],
                str(c["date_end"] or ""),
            )
            for c in data["claims"]
        ]
    elif kind == "TA1":
        columns = ("interchange", "code", "note")
        rows = [(a["control_number"], a["code"], a["note_in_words"]) for a in data["acks"]]
    else:
        columns = ("trace", "member", "date", "service type")
        rows = [
            (i["trace_number"], str(i["member_id"]), i["service_date"], i["service_type"]) for i in data["inquiries"]
        ]
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*row)
    return table
