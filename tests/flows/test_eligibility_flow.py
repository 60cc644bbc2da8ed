"""The eligibility_check flow under a real (temporary) Prefect API."""

from datetime import date

from sqlmodel import Session, select

from models.exchange import EligibilityCheck
from tasks.runtime import engine_for


def test_one_session_is_verified_with_ids_only_in_prefect(prefect_harness, billing, practice) -> None:
    from prefect.artifacts import Artifact

    from flows.eligibility import eligibility_check
    from models.sessions import GroupSession

    with Session(engine_for(billing)) as s:
        target = s.exec(select(GroupSession).where(GroupSession.source_id == "GRP-DEP-20261125")).one()
    state = eligibility_check(session_id=target.id, return_state=True)
    assert state.is_completed()
    result = state.result()
    assert result["sessions"] == 1 and result["checked"] == result["coverages"] > 0
    with Session(engine_for(billing)) as s:
        assert len(s.exec(select(EligibilityCheck)).all()) == result["checked"]
    artifact = Artifact.get(f"eligibility-session-{target.id}")
    text = str(artifact.data)
    assert "attendance_id" in text
    people = list(practice.bundle.patients)
    leaked = [
        v
        for p in people
        for v in (p.last_name, str(p.birth_date)) + tuple(c.member_id or "" for c in p.coverages)
        if v and v in text
    ]
    assert leaked == []


def test_a_second_run_reuses_fresh_checks(prefect_harness, billing) -> None:
    from flows.eligibility import eligibility_check

    first = eligibility_check(date_from=date(2026, 11, 23), date_to=date(2026, 11, 24))
    again = eligibility_check(date_from=date(2026, 11, 23), date_to=date(2026, 11, 24))
    assert first["checked"] > 0 and again["checked"] == 0 and again["reused"] == first["coverages"]


def test_the_http_clearinghouse_can_take_its_key_from_a_secret_block(
    prefect_harness, monkeypatch, database_url
) -> None:
    from prefect.blocks.system import Secret

    from config.settings import get_settings
    from tasks.runtime import clearinghouse

    Secret(value="k-from-block-91").save("clearinghouse-api-key", overwrite=True)
    monkeypatch.setenv(
        "GROUPBILL_DATABASE_URL", database_url
    )  # routing reads the practices: never the working folder's
    monkeypatch.setenv("GROUPBILL_CLEARINGHOUSE", "http")
    monkeypatch.setenv("GROUPBILL_CLEARINGHOUSE_API_KEY_BLOCK", "clearinghouse-api-key")
    get_settings.cache_clear()
    try:
        client = clearinghouse().open("default").inner  # type: ignore[attr-defined]
        assert client.session.headers["X-API-Key"] == "k-from-block-91"
    finally:
        get_settings.cache_clear()
