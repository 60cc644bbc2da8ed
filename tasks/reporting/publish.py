"""Publish a run's summary as Prefect artifacts, and keep its figures for the next run to compare with.
Counts and money only: Prefect stores and shows artifacts."""

from datetime import date
from typing import Any

from prefect.artifacts import create_markdown_artifact, create_table_artifact

from models.db import session_scope
from tasks.reporting.night import (
    LINES,
    Line,
    RunSummary,
    holds_by_rule,
    keep_report,
    open_queues,
    previous_report,
    run_lines,
)
from tasks.reporting.night_md import summary_markdown
from tasks.runtime import billing_engine


def publish_summary(
    key: str,
    title: str,
    counts: dict[str, Any],
    day: date,
    *,
    spec: list[Line] = LINES,
    unit: str = "claims",
    queues: bool | None = None,
) -> str:
    """The `KEY-summary` markdown artifact (money next to counts, holds by rule with what fixes them, work
    queues (a claims run's, or when `queues` says so), the previous run beside this one; a claims run's also
    says what is past its payer's turnaround now) and the `KEY` table of every raw counter; the markdown."""
    from prefect.runtime import flow_run

    run_id, name = str(flow_run.get_id() or "local"), flow_run.get_name() or key
    flow = flow_run.get_flow_name() or key
    claims_run = spec is LINES
    with session_scope(billing_engine()) as session:
        counts = counts | (_past_turnaround(session, day) if claims_run else {})
        summary = RunSummary(title, name, day, run_lines(counts, spec), spec, unit)
        summary.holds = _holds(session) if claims_run else None
        summary.queues = open_queues(session) if (claims_run if queues is None else queues) else None
        summary.previous = previous_report(session, flow, run_id)
        keep_report(session, summary, flow, run_id)
        markdown = summary_markdown(summary)
    create_markdown_artifact(key=f"{key}-summary", markdown=markdown, description=f"{title} {day} (counts only)")
    rows = [{"counter": name, "value": n} for name, n in counts.items()]
    create_table_artifact(key=key, table=rows, description=f"{title} {day}: every counter (counts only)")
    return markdown


def _past_turnaround(session: Any, day: date) -> dict[str, int]:
    """Sent claims past their payer's turnaround now, and their charges in cents (nothing when there are none)."""
    from config.settings import get_settings
    from tasks.claim_status.quiet import quiet_claims
    from tasks.scrubbing.engine import profiles

    quiet = quiet_claims(session, profiles(), day, get_settings().timezone)
    if not quiet:
        return {}
    return {"past_turnaround": len(quiet), "past_turnaround_cents": int(sum(q.charge for q in quiet) * 100)}


def _holds(session: Any) -> Any:
    from config.reference_data import rule_fixes
    from tasks.scrubbing.registry import all_rules

    descriptions = {rule_id: r.description for rule_id, r in all_rules().items()}
    return holds_by_rule(session, descriptions, rule_fixes())
