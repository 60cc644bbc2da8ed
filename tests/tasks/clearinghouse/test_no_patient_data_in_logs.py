"""A full exchange over HTTP logs no member ID, name or birth date, on the client or the server."""

import logging

from tasks.clearinghouse.http_client import HttpClearinghouse
from tests.tasks.clearinghouse.conftest import API_KEY
from tests.tasks.clearinghouse.helpers import ask, batch_837, claim, inquiry_270, roster


def test_client_and_server_logs_carry_no_patient_data(server, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    client = HttpClearinghouse(server.url, API_KEY, read_timeout=5, backoff=0.01, sleep=lambda s: None)
    server.admin("faults", error_next=1, drop_next=1)
    client.check_eligibility(inquiry_270(ask("W100", "Paid"), ask("W103", "Ended")), payer_id="SACME1")
    text, control = batch_837(claim("W100", "Paid", "LOG1"), claim("W103", "Ended", "LOG2"))
    client.submit(text, control_number=control, payer_id="SACME1")
    cursor = client.fetch_reports(None).next_cursor
    client.fetch_reports(cursor)
    logged = caplog.text + server.log.read_text()
    assert "failed (attempt 1" in logged  # the faults really were logged about
    secrets = {
        s
        for m in roster().payers[0].members
        for s in (
            m.member_id,
            m.last_name,
            m.last_name.upper(),
            m.birth_date.isoformat(),
            m.birth_date.strftime("%Y%m%d"),
        )
    }
    assert [s for s in secrets if s in logged] == []
