"""Run names operators can tell apart: the flow, the practice's local date and time the run started,
what started it, and the record IDs or dates it is about.

    daily-claims-2026-12-01T06:00:04-schedule
    eligibility-2026-12-01T14:32:10-event-session-42
    reprocess-claim-2026-12-01T09:12:45-manual-claim-17-correct

One time convention everywhere: the practice's local time (GROUPBILL_PRACTICE_TIMEZONE), as in
artifacts and alerts. IDs and dates only: Prefect stores and shows run names.
"""

from typing import Any

from config.settings import get_settings

STAMP = "%Y-%m-%dT%H:%M:%S"


def run_name(flow: str, *about: object) -> str:
    """`flow`-`local time`-`what started it`[-`about`...]."""
    parts = [flow, get_settings().now().strftime(STAMP), started_by(), *(str(a) for a in about if a)]
    return "-".join(parts)


def started_by() -> str:
    """schedule, event (an automation), manual (the UI's Run or a REST call) or cli (not a deployment)."""
    from prefect.context import FlowRunContext

    context = FlowRunContext.get()
    run: Any = context.flow_run if context else None
    if run is None or run.deployment_id is None:
        return "cli"
    if run.auto_scheduled:
        return "schedule"
    if run.created_by is not None and run.created_by.type == "AUTOMATION":
        return "event"
    return "manual"


def window(date_from: object, date_to: object) -> str:
    """`dates-FROM-to-TO` for a date window (either end open), or '' for none."""
    if not date_from and not date_to:
        return ""
    return f"dates-{date_from or 'start'}-to-{date_to or 'now'}"
