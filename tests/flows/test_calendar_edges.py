"""A night at the calendar's edge, end to end: a group that ends at 23:30 on New Year's Eve in New York
(already 1 January in UTC), billed by the daily run five minutes before midnight. Every date of
business meaning must be the practice's: date of service, note signature, eligibility, timely filing,
the 837P's envelope, the payer's receipt date."""

from collections.abc import Callable, Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, col, select

from config.settings import get_settings
from models.claims import Claim, Finding
from models.enums import ClaimStatus, Severity
from models.exchange import EligibilityCheck, SubmissionBatch
from tasks.clearinghouse.roster import Benefits, Member, Roster, RosterPayer
from tasks.importing import import_bundle
from tasks.runtime import engine_for

pytestmark = pytest.mark.usefixtures("prefect_harness")

NEW_YORK = ZoneInfo("America/New_York")
NEW_YEARS_EVE, LAST_TIMELY = date(2026, 12, 31), date(2026, 10, 2)  # Acme files within 90 days: 2 Oct + 90


def _session(sid: str, day: date, start: str, end: str, signed: str) -> dict:
    note = {
        "author_id": "DR1",
        "signer_id": "DR1",
        "signed_at": signed,
        "participation": "Practised a distress-tolerance skill with a peer.",
        "response": "Engaged; named when to use the skill.",
        "goals_addressed": ["Reduce anxiety"],
    }
    attendance = [{"patient_id": p, "status": "present", "note": note} for p in ("PAT1", "PAT2")]
    return {
        "id": sid,
        "program_id": "DBT",
        "date": day.isoformat(),
        "start_time": start,
        "end_time": end,
        "leader_id": "DR1",
        "status": "held",
        "focus": "Distress tolerance",
        "participant_count": 2,
        "attendance": attendance,
    }


def _patient(pid: str, last: str, member: str) -> dict:
    plan = {"id": f"TP-{pid}", "start_date": "2026-06-01", "end_date": "2027-05-31", "goals": ["Reduce anxiety"]}
    return {
        "id": pid,
        "first_name": "Sam",
        "last_name": last,
        "birth_date": "1980-01-01",
        "sex": "F",
        "coverages": [{"id": f"COV-{pid}", "payer_id": "ACME", "member_id": member, "priority": 1}],
        "treatment_plans": [{**plan, "diagnoses": ["F41.1"]}],
    }


def _bundle() -> dict:
    address = {"line1": "400 River Rd", "city": "Springfield", "state": "IL", "zip": "627011234"}
    provider = {
        "id": "DR1",
        "first_name": "Alex",
        "last_name": "Smith",
        "npi": "1987654328",
        "credential": "LCSW",
        "taxonomy": "1041C0700X",
        "licenses": [{"state": "IL", "number": "149-0001", "valid_from": "2015-06-01"}],
        "enrollments": [{"payer_id": "ACME", "valid_from": "2019-01-01"}],
    }
    payer = {"id": "ACME", "name": "Acme Health Plan", "x12_payer_id": "SACME1", "claim_filing_indicator": "CI"}
    return {
        "format_version": 1,
        "source_system": "calendar-test",
        "practice": {
            "id": "P1",
            "name": "Riverbend",
            "npi": "1234567893",
            "ein": "371234567",
            "taxonomy": "261QM0801X",
            "address": address,
        },
        "payers": [{**payer, "profile": "commercial_acme"}],
        "providers": [provider],
        "patients": [_patient("PAT1", "Paid", "W100"), _patient("PAT2", "Twice", "W101")],
        "authorizations": [],
        "programs": [{"id": "DBT", "name": "DBT Skills", "modality": "in_person", "place_of_service": "11"}],
        "sessions": [
            _session("NYE", NEW_YEARS_EVE, "22:00", "23:30", "2026-12-31T23:50:00-05:00"),
            _session("OCT", LAST_TIMELY, "10:00", "11:30", "2026-10-02T12:00:00-04:00"),
        ],
        "other_services": [],
    }


def _roster() -> Roster:
    members = [
        Member(member_id=m, first_name="Sam", last_name=last, birth_date=date(1980, 1, 1), plan_begin=date(2025, 1, 1))
        for m, last in (("W100", "Paid"), ("W101", "Twice"))
    ]
    payer = RosterPayer(
        source_id="ACME",
        x12_payer_id="SACME1",
        name="Acme Health Plan",
        kind="commercial",
        allowed_amounts={"90853": Decimal("48.00")},
        benefits=Benefits(copay=Decimal("20.00")),
        rendering_npis=["1987654328"],
        timely_filing_days=90,
        members=members,
    )
    return Roster(seed=1, today=NEW_YEARS_EVE, payers=[payer])


@pytest.fixture
def practice_at_midnight(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, database_url: str, clock_at: Callable[[datetime], None]
) -> Iterator[str]:
    """The practice imported, and the clock at 23:55 on New Year's Eve in New York (04:55 UTC, 1 January)."""
    from models.bundle import Bundle

    monkeypatch.setenv("GROUPBILL_DATABASE_URL", database_url)
    monkeypatch.setenv("GROUPBILL_SANDBOX_DIR", str(tmp_path / "sandbox"))
    monkeypatch.setenv("GROUPBILL_OUTPUT_DIR", str(tmp_path / "out"))
    clock_at(datetime(2026, 12, 31, 23, 55, tzinfo=NEW_YORK))
    (tmp_path / "sandbox").mkdir()
    (tmp_path / "sandbox" / "roster.json").write_text(_roster().model_dump_json())
    with Session(engine_for(database_url)) as s:
        import_bundle(s, Bundle.model_validate(_bundle()))
        s.commit()
    yield database_url
    get_settings.cache_clear()


def _claims(s: Session, session_source_id: str) -> list[Claim]:
    from models.sessions import GroupSession

    group = s.exec(select(GroupSession).where(GroupSession.source_id == session_source_id)).one()
    return list(s.exec(select(Claim).where(Claim.session_id == group.id)))


def _errors(s: Session, claim_ids: list[int]) -> set[str]:
    query = select(Finding).where(col(Finding.claim_id).in_(claim_ids), col(Finding.resolved_at).is_(None))
    return {f.rule_id for f in s.exec(query) if f.severity is Severity.ERROR}


def test_a_new_years_eve_group_billed_before_midnight_keeps_the_practice_s_dates(practice_at_midnight: str) -> None:
    from flows.claims import collect_reports, daily_claims

    assert get_settings().today() == NEW_YEARS_EVE  # the run's "today", though UTC already says 1 January
    counts = daily_claims()  # no as_of: the day comes from the clock
    assert counts["drafted"] == 4 and counts["claims_sent"] == 4, counts
    for _ in range(3):
        collect_reports()
    with Session(engine_for(practice_at_midnight)) as s:
        nye, old = _claims(s, "NYE"), _claims(s, "OCT")
        assert {c.service_date for c in nye} == {NEW_YEARS_EVE}
        # signed at 23:50 local (04:50 UTC the next day), verified 23:55 local, 90 days after 2 October
        assert _errors(s, [c.id or 0 for c in nye + old]) == set()
        assert {c.status for c in nye + old} == {ClaimStatus.PAID}, [(c.id, c.status) for c in nye + old]
        checks = s.exec(select(EligibilityCheck)).all()
        assert {c.service_date for c in checks} == {NEW_YEARS_EVE, LAST_TIMELY}
        (batch,) = s.exec(select(SubmissionBatch)).all()
        text = Path(batch.file_path or "").read_text()
    assert "*261231*2355*" in text and "BHT*0019*00*" in text and "*20261231*2355*CH~" in text  # ISA09/10, BHT04/05
    assert "DTP*472*D8*20261231~" in text and "DTP*472*D8*20261002~" in text


def test_ten_minutes_later_the_october_session_is_past_timely_filing(
    practice_at_midnight: str, clock_at: Callable[[datetime], None]
) -> None:
    from flows.claims import daily_claims

    clock_at(datetime(2027, 1, 1, 0, 5, tzinfo=NEW_YORK))
    counts = daily_claims(collect=False)
    assert counts["claims_sent"] == 2 and counts.get("hold_PAYER_TIMELY_FILING") == 2, counts
    with Session(engine_for(practice_at_midnight)) as s:
        old = _claims(s, "OCT")
        assert {c.status for c in old} == {ClaimStatus.ON_HOLD}
        assert _errors(s, [c.id or 0 for c in old]) == {"PAYER_TIMELY_FILING"}
