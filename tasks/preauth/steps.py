"""Prefect tasks of the preauth_watch flow: open the database, call the pure code, return IDs and counts."""

from collections import Counter
from datetime import date
from typing import Any

from prefect.artifacts import create_markdown_artifact, create_table_artifact

from models.db import session_scope
from tasks.preauth.report import alert_rows, authorization_rows
from tasks.retrying import step_task
from tasks.runtime import billing_engine


@step_task("find-authorization-alerts")
def find_alerts(today: date, within_days: int, low_units: int) -> list[dict[str, Any]]:
    """Every alert on every authorization: ending soon, few units left, booked sessions not covered."""
    with session_scope(billing_engine()) as session:
        rows = authorization_rows(session, today=today, within_days=within_days, low_units=low_units)
    return alert_rows(rows)


@step_task("publish-authorization-alerts")
def publish_alerts(alerts: list[dict[str, Any]], today: date) -> dict[str, int]:
    """A table artifact of the alerts and a markdown summary with counts per kind."""
    counts = Counter(a["alert"] for a in alerts)
    create_table_artifact(
        key="preauth-alerts",
        table=alerts or [{"authorization_record_id": None, "alert": "none", "detail": "no alerts"}],
        description=f"Authorizations needing action on {today} (record IDs only)",
    )
    lines = [
        f"# Authorization alerts {today}",
        "",
        f"{len(alerts)} alerts on {len({a['authorization_record_id'] for a in alerts})} authorizations",
        "",
    ]
    lines += [f"- {kind}: {n}" for kind, n in sorted(counts.items())]
    create_markdown_artifact(key="preauth-summary", markdown="\n".join(lines))
    return dict(counts)
