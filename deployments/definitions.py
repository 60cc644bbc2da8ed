"""Every groupbill deployment with its schedules and triggers, built in one place.

`serve.py` serves them from one process; `prefect.yaml` describes the same deployments for a
process work pool. Schedules run in the practice's time zone. Parameters are IDs, dates and
numbers only: Prefect stores and shows them.
"""

from prefect.deployments.runner import RunnerDeployment
from prefect.events import DeploymentEventTrigger
from prefect.schedules import Cron
from prefect.types.entrypoint import EntrypointType

from config.settings import get_settings
from flows.claims import collect_reports, daily_claims, reprocess_claim
from flows.eligibility import eligibility_check
from flows.preauth import preauth_watch
from tasks.eligibility.announce import RESOURCE_PREFIX, SESSION_SCHEDULED

TAGS = ["groupbill"]


def session_scheduled_trigger() -> DeploymentEventTrigger:
    """Run eligibility for exactly the session a `groupbill.session.scheduled` event names."""
    return DeploymentEventTrigger(
        name="session-scheduled",
        expect={SESSION_SCHEDULED},
        match={"prefect.resource.id": f"{RESOURCE_PREFIX}*"},
        for_each={"prefect.resource.id"},
        parameters={"session_id": "{{ event.resource.id.split('.')[-1] | int }}"},
    )


def eligibility_deployment() -> RunnerDeployment:
    """eligibility-check/eligibility: on the session-scheduled event, on REST calls, and daily at 05:30."""
    return RunnerDeployment.from_flow(
        eligibility_check,
        name="eligibility",
        schedules=[Cron("30 5 * * *", timezone=get_settings().practice_timezone)],
        triggers=[session_scheduled_trigger()],
        description="Verify attendees' coverage: one session (event or REST), or the next three days (schedule).",
        tags=TAGS,
        entrypoint_type=EntrypointType.MODULE_PATH,
    )


def preauth_watch_deployment() -> RunnerDeployment:
    """preauth-watch/daily: authorization alerts every morning at 06:15."""
    return RunnerDeployment.from_flow(
        preauth_watch,
        name="daily",
        schedules=[Cron("15 6 * * *", timezone=get_settings().practice_timezone)],
        description="Authorizations ending soon, nearly used up, or not covering booked sessions.",
        tags=TAGS,
        entrypoint_type=EntrypointType.MODULE_PATH,
    )


def daily_claims_deployment() -> RunnerDeployment:
    """daily-claims/daily: 06:00 Monday to Saturday, never two at once."""
    return RunnerDeployment.from_flow(
        daily_claims,
        name="daily",
        schedules=[Cron("0 6 * * 1-6", timezone=get_settings().practice_timezone)],
        concurrency_limit=1,
        description="Held sessions to submitted claims, then the reports that came back.",
        tags=TAGS,
        entrypoint_type=EntrypointType.MODULE_PATH,
    )


def collect_reports_deployment() -> RunnerDeployment:
    """collect-reports/hourly: 999, 277CA and 835 at five past every hour."""
    return RunnerDeployment.from_flow(
        collect_reports,
        name="hourly",
        schedules=[Cron("5 * * * *", timezone=get_settings().practice_timezone)],
        concurrency_limit=1,
        description="Acknowledgements and remittances to claims, payments and work queues.",
        tags=TAGS,
        entrypoint_type=EntrypointType.MODULE_PATH,
    )


def reprocess_claim_deployment() -> RunnerDeployment:
    """reprocess-claim/on-demand: one claim from a named step, started from the UI with parameters."""
    return RunnerDeployment.from_flow(
        reprocess_claim,
        name="on-demand",
        description="After a fix: rescrub, resend, correct or void one claim, then send it.",
        tags=TAGS,
        entrypoint_type=EntrypointType.MODULE_PATH,
    )


def all_deployments() -> list[RunnerDeployment]:
    """Every deployment groupbill serves."""
    return [
        eligibility_deployment(),
        preauth_watch_deployment(),
        daily_claims_deployment(),
        collect_reports_deployment(),
        reprocess_claim_deployment(),
    ]
