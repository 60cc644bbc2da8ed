"""Rich tables for the command line (the local operator may see names; Prefect never does)."""

from rich.table import Table

from models.enums import ClaimStatus
from tasks.claims.drafting import DraftReport
from tasks.claims.listing import AttendeeRow, ClaimRow
from tasks.claims.rollup import SessionRollup
from tasks.importing import ImportReport
from tasks.reporting.metrics import Report


def import_table(report: ImportReport) -> Table:
    """Rows created, updated and unchanged per table."""
    table = Table(title="Import", title_justify="left")
    for name in ("table", "created", "updated", "unchanged"):
        table.add_column(name, justify="left" if name == "table" else "right")
    for name, counts in report.counts.items():
        table.add_row(name, str(counts.created), str(counts.updated), str(counts.unchanged))
    return table


def draft_line(report: DraftReport) -> str:
    """One line on what claim drafting did."""
    return (
        f"claims: {report.created} drafted, {report.already_drafted} already drafted, "
        f"{plural(report.no_coverage, 'attendee')} without coverage in force"
    )


def rollup_table(rollups: list[SessionRollup]) -> Table:
    """One row per session: roster, attended, claims by status and the session's state."""
    statuses = [s for s in ClaimStatus if any(r.claims[s] for r in rollups)]
    table = Table(title="Group sessions", title_justify="left")
    for name in ("session", "record", "program", "date", "roster", "attended", *statuses, "state"):
        numeric = name in ("record", "roster", "attended", *statuses)
        table.add_column(str(name), justify="right" if numeric else "left")
    for r in rollups:
        counts = [str(r.claims[s] or "") for s in statuses]
        table.add_row(
            r.source_id,
            str(r.session_id),
            r.program,
            r.service_date.isoformat(),
            str(r.roster),
            str(r.attended),
            *counts,
            r.state,
        )
    return table


def claims_table(rows: list[ClaimRow]) -> Table:
    """Claims with their session, patient and payer IDs."""
    table = Table(title=f"Claims ({len(rows)})", title_justify="left")
    for name in ("claim", "pcn", "session", "patient", "payer", "date", "status", "charge"):
        table.add_column(name, justify="right" if name in ("claim", "charge") else "left")
    for r in rows:
        table.add_row(
            str(r.claim_id),
            r.patient_control_number or "",
            r.session_id,
            r.patient_id,
            r.payer_id,
            r.service_date.isoformat(),
            r.status.value,
            f"{r.total_charge:.2f}",
        )
    return table


def attendee_table(rows: list[AttendeeRow]) -> Table:
    """A session's roster: attendance, note state and claim."""
    table = Table(title="Attendees", title_justify="left")
    for name in ("patient", "name", "attendance", "note", "claim", "status"):
        table.add_column(name)
    for r in rows:
        table.add_row(
            r.patient_id,
            r.name,
            r.attendance,
            r.note,
            str(r.claim_id or ""),
            r.claim_status.value if r.claim_status else "",
        )
    return table


def plural(count: int, noun: str, many: str | None = None) -> str:
    """'1 session', '3 sessions' (`many` for irregular plurals)."""
    return f"{count:,} {noun if count == 1 else many or noun + 's'}"


def report_tables(found: Report) -> list[Table]:
    """The billing report: metrics with their formulas, then the breakdowns."""
    metrics = Table(title="Billing report", title_justify="left")
    for name in ("metric", "value", "formula"):
        metrics.add_column(name)
    for m in found.metrics:
        metrics.add_row(m.name, m.value, m.formula)
    tables = [metrics]
    for title, counts in (
        ("Open claims by days since submission", found.ar_buckets),
        ("Work items by queue", dict(found.denials_by_queue)),
        ("Denials by CARC", dict(found.denials_by_carc)),
        ("Holds by rule", dict(found.holds_by_rule)),
    ):
        table = Table(title=title, title_justify="left")
        table.add_column("")
        table.add_column("claims", justify="right")
        for key, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            table.add_row(key, str(n))
        tables.append(table)
    return tables
