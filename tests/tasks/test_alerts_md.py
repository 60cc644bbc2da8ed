"""The alert artifact's markdown."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from models.ops import OpsAlert
from tasks.reporting.alerts_md import alert_markdown

NEW_YORK = ZoneInfo("America/New_York")


def _alert(**fields: object) -> OpsAlert:
    base = {
        "id": 3,
        "flow_run_id": "5c2e",
        "flow_name": "collect-reports",
        "run_name": "collect-reports-2026-12-01T00:05:00-schedule",
        "state": "Crashed",
        "cause": "collect-reports: a | b",
        "created_at": datetime(2026, 12, 1, 5, 5, tzinfo=UTC),
    }
    return OpsAlert.model_validate({**base, **fields})


def test_open_alerts_are_a_table_in_the_practice_s_time_and_cells_stay_cells() -> None:
    alert = _alert()
    text = alert_markdown(alert, [alert], lambda _: None, NEW_YORK)
    assert text.startswith("# Crashed: collect-reports-2026-12-01T00:05:00-schedule")
    assert "| 3 | 2026-12-01 00:05 | collect-reports |" in text and "a / b |" in text
    assert "(run ID `5c2e`)" in text


def test_without_open_alerts_it_says_so() -> None:
    text = alert_markdown(None, [], lambda _: None, NEW_YORK)
    assert "None: every failed run has since completed or been acknowledged." in text
