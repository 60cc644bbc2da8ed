"""The claim_status flow: composition only. Its parameter is a date, never patient data."""

from datetime import date

from prefect import flow
from prefect.runtime import flow_run

from config.settings import get_settings
from flows.naming import run_name
from tasks.claim_status.steps import ask_payers, find_quiet_claims, publish_claim_status
from tasks.failures import explained
from tasks.ops import close_alerts
from tasks.privacy import protect_logs


def claim_status_run_name() -> str:
    """e.g. claim-status-2026-11-27T07:00:02-schedule, or ...-manual-as-of-2026-12-31."""
    as_of = flow_run.parameters.get("as_of")
    return run_name("claim-status", f"as-of-{as_of}" if as_of else "")


@flow(name="claim-status", flow_run_name=claim_status_run_name)
@explained
def claim_status(as_of: date | None = None) -> dict[str, int]:
    """Sent claims past their payer's turnaround (no 277CA, or no 835): ask each payer (276), keep every
    answer on its claim, and file what needs a person (MISSING_CLAIM, MISSING_ERA, REQUESTED_INFO, denials)."""
    protect_logs()
    today = as_of or get_settings().today()
    source = f"flow:claim-status:{flow_run.get_id() or 'local'}"
    found, due = find_quiet_claims(today)
    counts = {**found, **(ask_payers(due, today, source) if due else {})}
    publish_claim_status(counts, today)
    close_alerts("claim-status", flow_run.get_name() or "claim-status")
    return counts
