"""The summaries a billing lead reads first: the daily run's, the collection's and eligibility's, with
money that matches the database, holds by rule, work queues, the previous run, and no patient data."""

from decimal import Decimal

from sqlmodel import Session, col, select

from models.claims import Claim
from models.enums import ClaimStatus
from models.ops import RunReport
from tasks.runtime import engine_for
from tasks.synthetic import SyntheticPractice


def _summary(key: str) -> str:
    from prefect.artifacts import Artifact

    artifact = Artifact.get(f"{key}-summary")
    assert artifact is not None
    return str(artifact.data)


def _leaks(text: str, practice: SyntheticPractice) -> list[str]:
    people = practice.bundle.patients
    values = [v for p in people for v in (p.id, p.last_name, str(p.birth_date), *(c.member_id for c in p.coverages))]
    return [v for v in values if v and v in text]


def test_the_daily_summary_shows_money_holds_queues_and_the_previous_night(
    prefect_harness, billing: str, practice: SyntheticPractice
) -> None:
    from flows.claims import daily_claims

    counts = daily_claims()
    with Session(engine_for(billing)) as s:  # drafted from attendance: not the next payers' claims or rebills
        claims = [c for c in s.exec(select(Claim)) if c.payer_sequence == "P" and c.original_claim_id is None]
        held = [c for c in claims if c.status is ClaimStatus.ON_HOLD]
    drafted = sum((c.total_charge for c in claims), Decimal("0"))
    text = _summary("daily-claims")
    assert f"| new claims drafted | {len(claims)} | ${drafted:,.2f} | – |" in text
    assert f"| held for a fix | {len(held)} | ${sum((c.total_charge for c in held), Decimal('0')):,.2f} |" in text
    assert f"| sent to the clearinghouse | {counts['claims_sent']} |" in text
    assert "| `ELIG_REJECTED` | The payer rejected the eligibility inquiry (AAA). | Correct the member ID" in text
    assert "`groupbill claims queue --queue ELIGIBILITY`" in text and _leaks(text, practice) == []

    daily_claims()
    again = _summary("daily-claims")
    assert f"| new claims drafted | 0 | $0.00 | {len(claims)} / ${drafted:,.2f} |" in again
    with Session(engine_for(billing)) as s:
        reports = s.exec(select(RunReport).where(RunReport.flow_name == "daily-claims")).all()
    assert len(reports) == 2 and reports[0].figures["lines"]["drafted"] == [len(claims), int(drafted * 100)]


def test_the_collection_and_eligibility_summaries(prefect_harness, billing: str, practice: SyntheticPractice) -> None:
    from flows.claims import collect_reports, daily_claims
    from flows.eligibility import eligibility_check

    daily_claims(collect=False)
    collect_reports()
    text = _summary("collect-reports")
    with Session(engine_for(billing)) as s:  # a CARC 22 denial is closed (corrected) by its rebill at once
        closed = (ClaimStatus.DENIED, ClaimStatus.CORRECTED)
        denied = s.exec(select(Claim).where(col(Claim.status).in_(closed), col(Claim.batch_id).is_not(None))).all()
    assert f"| denied (835) | {len(denied)} | ${sum((c.total_charge for c in denied), Decimal('0')):,.2f} |" in text
    assert "| accepted by payers (277CA) |" in text and _leaks(text, practice) == []

    counts = eligibility_check()
    text = _summary("eligibility")
    assert f"| coverages to verify | {counts['coverages']} | – |" in text and "amount" not in text
    assert _leaks(text, practice) == []
