"""Prefect tasks of the daily_claims, collect_reports and reprocess_claim flows: thin wrappers over
tasks/daily/pipeline.py that return counts and IDs only (Prefect stores and shows task results).

Clearinghouse steps retry on transient trouble only (unavailable, database busy); a refusal is a
business outcome recorded in the database, not a failure.
"""

from datetime import date
from typing import Any

from config.reference_data import x12_codes
from config.settings import get_settings
from tasks.daily import pipeline
from tasks.daily.pipeline import Window
from tasks.retrying import network_task, step_task
from tasks.runtime import billing_engine, clearinghouse, practice_envelope


@step_task("draft-claims")
def draft_step(window: Window, source: str) -> dict[str, int]:
    """Claims from attendance (present attendees, 90853 plus 90785 where flagged, fee-schedule charges)."""
    return pipeline.draft(billing_engine(), window, source=source)


@network_task("refresh-eligibility")
def eligibility_step(window: Window) -> dict[str, int]:
    """Fresh 271s for the claims about to be scrubbed (checks within the payer's max age are reused)."""
    return pipeline.refresh_eligibility(billing_engine(), clearinghouse(), window, get_settings().now())


@step_task("scrub-claims")
def scrub_step(window: Window, source: str) -> dict[str, int]:
    """Documentation gate, authorization reservation, every payer rule: ready or on hold."""
    return pipeline.scrub(billing_engine(), window, source=source)


@step_task("assemble-837p")
def assemble_step(source: str, claim_ids: list[int] | None = None) -> list[int]:
    """Ready claims (all, or these) into 837P files per practice and payer; claims `submitting`."""
    now = get_settings().now()
    return pipeline.assemble(billing_engine(), practice_envelope, now, source=source, claim_ids=claim_ids)


@step_task("reprocess-claim")
def reprocess_step(claim_id: int, action: str, source: str) -> dict[str, int]:
    """Re-scrub, resend, correct or void one claim; the claim to send next and whether it is ready."""
    return pipeline.reprocess(billing_engine(), claim_id, action, source=source)


@network_task("submit-batches")
def submit_step(source: str) -> dict[str, int]:
    """Send every pending batch once (asking the clearinghouse first about any a crash left behind)."""
    return pipeline.send(billing_engine(), clearinghouse(), source=source)


@network_task("collect-reports")
def collect_step(source: str) -> dict[str, int]:
    """999, 277CA and 835 since the stored cursor, each applied once."""
    return pipeline.collect_reports(billing_engine(), clearinghouse(), x12_codes(), source=source)


@step_task("publish-run")
def publish_step(key: str, title: str, counts: dict[str, Any], day: date) -> None:
    """The run's summary for the billing lead (money next to counts, holds by rule with what fixes them,
    work queues, the previous run beside it; counts only) and a table of its raw counts."""
    from tasks.reporting.publish import publish_summary

    publish_summary(key, title, counts, day)
