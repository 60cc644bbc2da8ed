"""The eligibility_check flow: composition only. Parameters are IDs and dates, never patient data."""

from datetime import date

from prefect import flow
from prefect.runtime import flow_run

from config.settings import get_settings
from flows.naming import run_name, window
from tasks.eligibility.steps import find_sessions, publish_eligibility, verify_coverages
from tasks.failures import explained
from tasks.ops import close_alerts
from tasks.privacy import protect_logs


def eligibility_run_name() -> str:
    """e.g. eligibility-2026-11-27T14:32:10-event-session-42, ...-schedule-next-days, ...-cli-dates-A-to-B."""
    params = flow_run.parameters
    if params.get("session_id"):
        return run_name("eligibility", f"session-{params['session_id']}")
    if params.get("date_from"):
        return run_name("eligibility", window(params["date_from"], params.get("date_to") or params["date_from"]))
    return run_name("eligibility", "next-days")


@flow(name="eligibility-check", flow_run_name=eligibility_run_name)
@explained
def eligibility_check(
    session_id: int | str | None = None, date_from: date | None = None, date_to: date | None = None
) -> dict[str, int]:
    """Verify every attendee's coverage for one session, a date window, or the next three days."""
    protect_logs()
    today = get_settings().today()
    session_ids = find_sessions(session_id, date_from, date_to, today)
    counts = verify_coverages(session_ids)
    publish_eligibility(session_ids, {"sessions": len(session_ids), **counts}, today)
    close_alerts("eligibility-check", flow_run.get_name() or "eligibility-check")
    return {"sessions": len(session_ids), **counts}
