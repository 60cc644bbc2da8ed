"""The preauth_watch flow under a real (temporary) Prefect API."""

import json
import re
from datetime import timedelta

from sqlmodel import Session, select

from models.patients import Authorization
from tasks.runtime import engine_for
from tests.conftest import TODAY


def test_alerts_reach_an_artifact_with_record_ids_only(prefect_harness, billing: str, practice) -> None:
    from prefect.artifacts import Artifact
    from prefect.client.orchestration import get_client

    from flows.preauth import preauth_watch

    with Session(engine_for(billing)) as s:
        auth = s.exec(select(Authorization)).first()
        assert auth is not None
        auth.end_date, auth.units_authorized = TODAY + timedelta(days=5), 1
        s.add(auth)
        s.commit()
        auth_id = auth.id
    state = preauth_watch(today=TODAY, return_state=True)
    assert state.is_completed()
    result = state.result()
    assert result["ending_soon"] >= 1 and result["low_units"] >= 1
    table = Artifact.get("preauth-alerts")
    assert table is not None
    rows = table.data if isinstance(table.data, list) else json.loads(str(table.data))
    assert {(r["authorization_record_id"], r["alert"]) for r in rows} >= {
        (auth_id, "ending_soon"),
        (auth_id, "low_units"),
    }
    text = str(table.data)
    people = practice.bundle.patients
    leaked = [v for p in people for v in (p.id, p.last_name, str(p.birth_date)) if v in text]
    assert leaked == []
    with get_client(sync_client=True) as client:
        name = client.read_flow_run(state.state_details.flow_run_id).name
    assert re.fullmatch(rf"preauth-watch-{TODAY}T\d\d:\d\d:\d\d-cli-as-of-{TODAY}", name), name
