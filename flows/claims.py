"""The daily_claims, collect_reports and reprocess_claim flows: composition only.

Parameters are dates and record IDs, never patient data. Business outcomes (holds, rejections,
denials) are counts in the result and the artifacts; a run fails only when infrastructure does.
"""

from datetime import date
from typing import Literal

from prefect import flow
from prefect.runtime import flow_run

from config.settings import get_settings
from flows.naming import run_name, window
from tasks.daily.pipeline import Window
from tasks.daily.steps import (
    assemble_step,
    collect_step,
    draft_step,
    eligibility_step,
    publish_step,
    reprocess_step,
    scrub_step,
    submit_step,
)
from tasks.failures import explained
from tasks.ops import close_alerts
from tasks.privacy import protect_logs


def _source(name: str) -> str:
    """Who moved a claim, for ClaimEvent.source: the flow and its run ID."""
    return f"flow:{name}:{flow_run.get_id() or 'local'}"


def daily_run_name() -> str:
    """e.g. daily-claims-2026-11-27T06:00:04-schedule, ...-manual-dates-2026-11-01-to-2026-11-07-as-of-2026-11-20."""
    params = flow_run.parameters
    as_of = f"as-of-{params['as_of']}" if params.get("as_of") else ""
    return run_name("daily-claims", window(params.get("service_date_from"), params.get("service_date_to")), as_of)


@flow(name="daily-claims", flow_run_name=daily_run_name)
@explained
def daily_claims(
    service_date_from: date | None = None,
    service_date_to: date | None = None,
    collect: bool = True,
    as_of: date | None = None,
) -> dict[str, int]:
    """Held sessions not yet billed -> claims -> documentation, authorization, eligibility, rules -> 837P -> sent.

    `as_of` is the day the rules judge by (timely filing, eligibility dates); default: today.
    """
    protect_logs()
    today = as_of or get_settings().today()
    window = Window(service_date_from, service_date_to, today)
    source = _source("daily-claims")
    counts = draft_step(window, source)
    counts |= eligibility_step(window)
    counts |= scrub_step(window, source)
    counts["batches_built"] = len(assemble_step(source))
    counts |= submit_step(source)
    if collect:
        counts |= {f"reports_{k}": v for k, v in collect_step(source).items()}
    publish_step("daily-claims", "Daily claims", counts, today)
    close_alerts("daily-claims", flow_run.get_name() or "daily-claims")
    return counts


def collect_run_name() -> str:
    """e.g. collect-reports-2026-11-27T07:05:00-schedule."""
    return run_name("collect-reports")


@flow(name="collect-reports", flow_run_name=collect_run_name)
@explained
def collect_reports() -> dict[str, int]:
    """Fetch 999, 277CA and 835 since the stored cursor and apply each once.

    A batch a crash left in `submitting` is finished first (asked about, sent only if it never
    arrived), so the acknowledgements about its claims find them submitted.
    """
    protect_logs()
    source = _source("collect-reports")
    counts = submit_step(source)
    counts |= collect_step(source)
    publish_step("collect-reports", "Reports collected", counts, get_settings().today())
    close_alerts("collect-reports", flow_run.get_name() or "collect-reports")
    return counts


def reprocess_run_name() -> str:
    """e.g. reprocess-claim-2026-11-27T09:12:45-manual-claim-17-correct."""
    params = flow_run.parameters
    return run_name("reprocess-claim", f"claim-{params.get('claim_id')}", params.get("from_step", "rescrub"))


@flow(name="reprocess-claim", flow_run_name=reprocess_run_name)
@explained
def reprocess_claim(
    claim_id: int, from_step: Literal["rescrub", "resend", "correct", "void"] = "rescrub", submit: bool = True
) -> dict[str, int]:
    """After ops fixed a claim's data: re-scrub it, resend it, or correct or void it, then send what is ready."""
    protect_logs()
    source = _source("reprocess-claim")
    counts = reprocess_step(claim_id, from_step, source)
    if submit and counts["ready"]:
        counts["batches_built"] = len(assemble_step(source, [counts["claim_id"]]))
        counts |= submit_step(source)
    publish_step(
        f"reprocess-claim-{claim_id}", f"Claim {claim_id} reprocessed ({from_step})", counts, get_settings().today()
    )
    return counts
