"""The preauth_watch flow: composition only. Parameters are numbers and dates, never patient data."""

from datetime import date

from prefect import flow
from prefect.runtime import flow_run

from config.settings import get_settings
from flows.naming import run_name
from tasks.failures import explained
from tasks.ops import close_alerts
from tasks.preauth.steps import find_alerts, publish_alerts
from tasks.privacy import protect_logs


def preauth_run_name() -> str:
    """e.g. preauth-watch-2026-11-27T06:15:00-schedule, or ...-manual-as-of-2026-12-01."""
    today = flow_run.parameters.get("today")
    return run_name("preauth-watch", f"as-of-{today}" if today else "")


@flow(name="preauth-watch", flow_run_name=preauth_run_name)
@explained
def preauth_watch(within_days: int = 14, low_units: int = 2, today: date | None = None) -> dict[str, int]:
    """Authorizations ending within N days, with <= N units left, or with booked sessions they do not cover."""
    protect_logs()
    day = today or get_settings().today()
    alerts = find_alerts(day, within_days, low_units)
    counts = publish_alerts(alerts, day)
    close_alerts("preauth-watch", flow_run.get_name() or "preauth-watch")
    return {"alerts": len(alerts), **counts}
