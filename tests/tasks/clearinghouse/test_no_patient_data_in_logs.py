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


def test_an_sftp_exchange_and_its_far_side_log_no_patient_data(mailbox_under_test, caplog, tmp_path) -> None:
    from tests.sftp_server import CuttingRelay

    caplog.set_level(logging.DEBUG)
    box = mailbox_under_test
    box.put_report("notes.txt", "not x12\n")
    relay = CuttingRelay(box.sshd.port, cut_after=4_000)  # one failure, logged
    try:
        client = box.connector(port=relay.port, known_hosts=box.sshd.known_hosts(relay.port), sleep=lambda s: None)
        text, control = batch_837(claim("W100", "Paid", "SLOG1"), claim("W103", "Ended", "SLOG2"))
        client.submit(text, control_number=control, payer_id="SACME1")
    finally:
        relay.close()
    for _ in range(2):
        box.far.run_once()
        box.client.reports_applied(box.client.fetch_reports(None))
    logged = caplog.text + (box.sshd.home / "sshd.log").read_text()
    assert "failed (attempt 1" in logged and "notes.txt is not X12" in logged
    members = roster().payers[0].members
    secrets = {s for m in members for s in (m.member_id, m.last_name.upper(), m.birth_date.strftime("%Y%m%d"))}
    assert [s for s in secrets if s in logged] == []
