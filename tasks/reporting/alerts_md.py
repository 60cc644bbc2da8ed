"""The alert artifact as operations staff read it: the cause first, the failed run one click away, what
to do, then every alert still open. IDs, run names and causes only. Pure."""

from collections.abc import Callable
from datetime import tzinfo

from models.ops import OpsAlert

STAMP = "%Y-%m-%d %H:%M"


def alert_markdown(
    alert: OpsAlert | None, open_alerts: list[OpsAlert], run_url: Callable[[str], str | None], zone: tzinfo
) -> str:
    """Markdown for one new alert and the alerts still open."""
    lines = _this_alert(alert, run_url) if alert is not None else ["# Alerts", ""]
    lines += ["## Open alerts", ""]
    if not open_alerts:
        return "\n".join([*lines, "None: every failed run has since completed or been acknowledged."])
    lines += ["| alert | since | flow | run | state | cause |", "|---:|---|---|---|---|---|"]
    for a in open_alerts:
        since = a.created_at.astimezone(zone).strftime(STAMP)
        lines.append(f"| {a.id} | {since} | {a.flow_name or ''} | {_run(a, run_url)} | {a.state} | {_cell(a.cause)} |")
    return "\n".join(lines)


def _this_alert(alert: OpsAlert, run_url: Callable[[str], str | None]) -> list[str]:
    flow = alert.flow_name or "the flow"
    closed = f"Closed: {alert.resolved_by}." if alert.resolved_at is not None else ""
    return [
        f"# {alert.state}: {alert.run_name}",
        "",
        f"**Cause:** {alert.cause or 'the run ended without a message; open it and read the failed task.'}",
        "",
        f"**Run:** {_run(alert, run_url)}",
        "",
        f"**What to do:** fix the cause, then press **Retry** on the run. This alert closes by itself when a "
        f"run of {flow} completes; `groupbill alerts ack {alert.id}` closes it by hand. {closed}".rstrip(),
        "",
    ]


def _run(alert: OpsAlert, run_url: Callable[[str], str | None]) -> str:
    url = run_url(alert.flow_run_id)
    return f"[{alert.run_name}]({url})" if url else f"{alert.run_name} (run ID `{alert.flow_run_id}`)"


def _cell(text: str | None) -> str:
    """Text safe inside a markdown table cell."""
    return (text or "").replace("|", "/").replace("\n", " ")
