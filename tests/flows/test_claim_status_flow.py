"""claim_status under a real (temporary) Prefect API: the synthetic practice whose payers go quiet on four
patients' claims, billed today, followed up on later mornings."""

import json
import re
from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from sqlmodel import Session, select

from models.exchange import WorkItem
from tasks.runtime import engine_for
from tasks.synthetic import SyntheticPractice, generate_practice
from tests.conftest import TODAY

FOLLOW_UP = {"MISSING_CLAIM", "MISSING_ERA", "REQUESTED_INFO"}


def _queues(url: str) -> Counter[str]:
    with Session(engine_for(url)) as s:
        return Counter(w.queue for w in s.exec(select(WorkItem)) if w.queue in FOLLOW_UP)


def _quiet(url: str, day: date) -> list[Decimal]:
    from config.settings import get_settings
    from tasks.claim_status.quiet import quiet_claims
    from tasks.scrubbing.engine import profiles

    with Session(engine_for(url)) as s:
        return [q.charge for q in quiet_claims(s, profiles(), day, get_settings().timezone)]


def test_quiet_claims_are_asked_about_and_filed_with_ids_and_counts_only(
    prefect_harness, billing_for: Callable[[SyntheticPractice], str]
) -> None:
    from prefect.artifacts import Artifact
    from prefect.client.orchestration import get_client

    from flows.claim_status import claim_status
    from flows.claims import collect_reports, daily_claims

    practice = generate_practice(7, TODAY, quiet_claims=True)
    url = billing_for(practice)
    daily_claims(as_of=TODAY)
    for _ in range(3):
        collect_reports()
    assert claim_status(as_of=TODAY)["quiet"] == 0  # sent today: nothing is quiet yet
    lost = claim_status(as_of=TODAY + timedelta(days=4))
    assert lost["quiet"] >= 1 and lost["answer_missing_claim"] == lost["quiet"]
    state = claim_status(as_of=TODAY + timedelta(days=35), return_state=True)
    assert state.is_completed()
    later = state.result()
    assert later["answer_missing_era"] >= 1 and later["answer_requested_info"] >= 1 and later["answer_pended"] >= 1
    assert _queues(url) == Counter(
        MISSING_CLAIM=lost["answer_missing_claim"],
        MISSING_ERA=later["answer_missing_era"],
        REQUESTED_INFO=later["answer_requested_info"],
    )
    with get_client(sync_client=True) as client:
        name = client.read_flow_run(state.state_details.flow_run_id).name
    assert re.fullmatch(rf"claim-status-{TODAY}T\d\d:\d\d:\d\d-cli-as-of-{TODAY + timedelta(days=35)}", name), name
    summary, table = Artifact.get("claim-status-summary"), Artifact.get("claim-status")
    assert summary is not None and table is not None and "MISSING_ERA" in str(summary.data)
    assert (
        f"| sent claims past their payer's turnaround | {later['quiet']} | ${later['quiet_cents'] / 100:,.2f} |"
        in str(summary.data)
    )
    daily_claims(as_of=TODAY + timedelta(days=35))  # the billing run's summary says what is still quiet
    daily = Artifact.get("daily-claims-summary")
    quiet = _quiet(url, TODAY + timedelta(days=35))
    assert daily is not None and quiet
    assert f"no 277CA or 835 yet (`groupbill claims quiet`) | {len(quiet)} | ${sum(quiet):,.2f} |" in str(daily.data)
    text = str(summary.data) + str(daily.data) + json.dumps(table.data, default=str)
    people = practice.bundle.patients
    assert [v for p in people for v in (p.id, p.last_name, str(p.birth_date)) if v in text] == []


def test_a_failing_follow_up_ends_failed_with_its_cause(
    prefect_harness, billing_for: Callable[[SyntheticPractice], str], monkeypatch
) -> None:
    from flows.claim_status import claim_status
    from tasks.claim_status import steps

    billing_for(generate_practice(7, TODAY, quiet_claims=True))
    monkeypatch.setattr(steps.find_quiet_claims, "fn", _down)
    state = claim_status(as_of=TODAY, return_state=True)
    assert state.is_failed() and "find-quiet-claims" in (state.message or "")


def _down(today: object) -> object:
    from models.errors import ClearinghouseUnavailable

    raise ClearinghouseUnavailable("clearinghouse answered 503")
