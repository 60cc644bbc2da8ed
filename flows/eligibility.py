"""The eligibility_check flow: composition only. Parameters are IDs and dates, never patient data."""

from datetime import date

from prefect import flow
from prefect.runtime import flow_run

from config.settings import get_settings
from tasks.eligibility.steps import find_sessions, publish_eligibility, verify_coverages
from tasks.privacy import protect_logs


def run_name() -> str:
    """e.g. eligibility-session-42, eligibility-2026-11-27, eligibility-next-days."""
    params = flow_run.parameters
    if params.get("session_id"):
        return f"eligibility-session-{params['session_id']}"
    return f"eligibility-{params.get('date_from') or 'next-days'}"


@flow(name="eligibility-check", flow_run_name=run_name)
def eligibility_check(
    session_id: int | None = None, date_from: date | None = None, date_to: date | None = None
) -> dict[str, int]:
    """Verify every attendee's coverage for one session, a date window, or the next three days."""
    protect_logs()
    today = get_settings().today()
    session_ids = find_sessions(session_id, date_from, date_to, today)
    counts = verify_coverages(session_ids)
    publish_eligibility(session_ids)
    return {"sessions": len(session_ids), **counts}
