"""Every groupbill deployment with its schedules and triggers, built in one place.

`serve.py` serves them from one process; `prefect.yaml` describes the same deployments for a
process work pool. Schedules run in the practice's time zone. Parameters are IDs, dates and
numbers only: Prefect stores and shows them.
"""

from typing import Any

from prefect.deployments.runner import RunnerDeployment
from prefect.events import DeploymentEventTrigger
from prefect.schedules import Cron
from prefect.types.entrypoint import EntrypointType

from config.settings import get_settings
from flows.alerts import record_failure
from flows.claim_status import claim_status
from flows.claims import collect_reports, daily_claims, reprocess_claim
from flows.eligibility import eligibility_check
from flows.preauth import preauth_watch
from tasks.eligibility.announce import RESOURCE_PREFIX, SESSION_SCHEDULED

TAGS = ["groupbill"]
ServedFlow = tuple[Any, dict[str, Any]]


def session_scheduled_trigger() -> DeploymentEventTrigger:
    """Run eligibility for exactly the session a `groupbill.session.scheduled` event names."""
    return DeploymentEventTrigger(
        name="session-scheduled",
        expect={SESSION_SCHEDULED},
        match={"prefect.resource.id": f"{RESOURCE_PREFIX}*"},
        for_each={"prefect.resource.id"},
        parameters={"session_id": "{{ event.resource.id.split('.')[-1] | int }}"},
    )


ALERTING_FLOWS = ["daily-claims", "collect-reports", "eligibility-check", "preauth-watch", "claim-status"]


def failure_trigger() -> DeploymentEventTrigger:
    """A run of a scheduled flow that failed or crashed starts record-alert with its run ID."""
    return DeploymentEventTrigger(
        name="scheduled-run-failed",
        expect={"prefect.flow-run.Failed", "prefect.flow-run.Crashed"},
        match_related={"prefect.resource.role": "flow", "prefect.resource.name": ALERTING_FLOWS},
        parameters={
            "flow_run_id": "{{ event.resource.id.split('.')[-1] }}",
            "state": "{{ event.event.split('.')[-1] }}",
        },
    )


def _served(flow: Any, name: str, description: str, cron: str | None = None, **options: Any) -> ServedFlow:
    """One flow's deployment options: run by module path, on a cron in the practice's time zone (if any)."""
    schedules = [Cron(cron, timezone=get_settings().practice_timezone)] if cron else None
    return flow, {
        "name": name,
        "schedules": schedules,
        "description": description,
        "tags": TAGS,
        "entrypoint_type": EntrypointType.MODULE_PATH,
        **options,
    }


def served_flows() -> list[ServedFlow]:
    """Every flow groupbill serves, with the options of its deployment (the same for `Runner.add_flow`
    and `RunnerDeployment.from_flow`)."""
    return [
        _served(
            eligibility_check,
            "morning-and-events",
            "Verify attendees' coverage: one session (event or REST), or the next three days (05:30).",
            "30 5 * * *",
            triggers=[session_scheduled_trigger()],
        ),
        _served(
            preauth_watch,
            "morning-watch",
            "Authorizations ending soon, nearly used up, or not covering booked sessions (06:15).",
            "15 6 * * *",
        ),
        _served(
            daily_claims,
            "billing-run",
            "Held sessions to submitted claims, then the reports that came back (06:00 Mon-Sat).",
            "0 6 * * 1-6",
            concurrency_limit=1,
        ),
        _served(
            collect_reports,
            "hourly-collection",
            "Acknowledgements and remittances to claims, payments and work queues (every hour).",
            "5 * * * *",
            concurrency_limit=1,
        ),
        _served(
            claim_status,
            "daily",
            "Quiet claims (no 277CA or 835 in the payer's turnaround): ask payers, file what needs a person (07:00).",
            "0 7 * * *",
            concurrency_limit=1,
        ),
        _served(
            record_failure,
            "on-run-failure",
            "Records an alert when a scheduled run fails or crashes (started by an automation).",
            triggers=[failure_trigger()],
        ),
        _served(
            reprocess_claim,
            "on-demand",
            "After a fix: rescrub, resend, correct or void one claim, then send it (from the UI).",
        ),
    ]


def all_deployments() -> list[RunnerDeployment]:
    """Every deployment groupbill serves."""
    return [RunnerDeployment.from_flow(flow, **options) for flow, options in served_flows()]


def deployment(name: str) -> RunnerDeployment:
    """One deployment by its `flow-name/deployment-name`."""
    found = {f"{d.flow_name}/{d.name}": d for d in all_deployments()}
    return found[name]
