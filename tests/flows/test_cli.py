"""The `groupbill` command line: exit codes, one-line errors, and the demo."""

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from tests.waiting import still_running

pytestmark = pytest.mark.usefixtures("prefect_harness")  # the demo runs the flows


def test_demo_prints_the_rollup_and_can_run_twice(cli, practice) -> None:
    code, out, _ = cli("demo", "--today", "2026-11-27")
    assert code == 0
    assert "Group sessions" in out and "GRP-DEP-20261125-DUP" in out and "needs attention" in out
    assert "Billing report" in out and "clearinghouse first-pass acceptance" in out and "Holds by rule" in out
    attended = sum(a.status.attended for s in practice.bundle.sessions if s.status == "held" for a in s.attendance)
    assert f"claims: {attended} drafted" in out
    said = " ".join(out.split())  # the secondaries the primaries' 835s made were sent and paid the nights after
    assert "the secondary and tertiary payers recovered $59.40 ($0.00 of it on crossovers) on $900.00" in said
    assert "4 crossed over, 14 billed (the next payer's claim made), 2 nothing left, 2 order disputed" in said
    code, out, _ = cli("demo", "--today", "2026-11-27")
    assert code == 0 and f"0 drafted, {attended} already drafted" in out


def test_import_is_idempotent_from_the_command_line(cli, tmp_path: Path, practice) -> None:
    path = tmp_path / "bundle.json"
    path.write_text(practice.bundle.model_dump_json())
    assert cli("import", str(path))[0] == 0
    code, out, _ = cli("import", str(path))
    assert code == 0 and "nothing changed" in out


def test_a_patient_listed_twice_imports_with_one_warning_line(cli, tmp_path: Path, bundle_data: dict) -> None:
    roster = bundle_data["sessions"][2]["attendance"]
    roster.insert(1, dict(roster[0]))
    path = tmp_path / "twice.json"
    path.write_text(json.dumps(bundle_data))
    code, _, err = cli("import", str(path))
    assert code == 0 and err.splitlines() == [
        f"warning: {path}: sessions[2].attendance[1].patient_id: patient {roster[0]['patient_id']!r} is already on "
        "this roster at [0]: imported as another row; if both attended, the scrubber holds the second claim "
        "(DUP_ rules)"
    ]


def test_broken_bundle_exits_2_with_one_line_per_problem_and_changes_nothing(
    cli, tmp_path: Path, bundle_data: dict
) -> None:
    bundle_data["sessions"][3]["attendance"][1]["patient_id"] = "PAT-9999"
    bundle_data["providers"][0]["enrollments"][0]["payer_id"] = "NOPE"
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(bundle_data))
    code, out, err = cli("import", str(path))
    assert code == 2
    assert err.splitlines() == [
        f"error: {path}: providers[0].enrollments[0].payer_id: unknown payer 'NOPE'",
        f"error: {path}: sessions[3].attendance[1].patient_id: unknown patient 'PAT-9999'",
    ]
    code, out, _ = cli("claims", "list", "--format", "json")
    assert (code, json.loads(out)) == (0, [])


def test_claims_list_filters_and_json_contract(cli) -> None:
    cli("demo", "--today", "2026-11-27")
    code, out, _ = cli("claims", "list", "--format", "json", "--session", "GRP-TEL-20231228")
    rows = json.loads(out)
    assert code == 0 and len(rows) == 3
    assert set(rows[0]) == {
        "claim_id",
        "session_id",
        "patient_id",
        "payer_id",
        "service_date",
        "status",
        "total_charge",
        "patient_control_number",
    }
    assert {r["payer_id"] for r in rows} == {"MCR"} and rows[0]["total_charge"] == "75.00"
    paid = json.loads(cli("claims", "list", "--status", "paid", "--format", "json")[1])
    assert paid and {r["status"] for r in paid} == {"paid"}
    assert json.loads(cli("claims", "list", "--status", "voided", "--format", "json")[1]) == []
    code, _, err = cli("claims", "list", "--status", "bogus")
    assert code == 2 and err.startswith("error: --status: unknown status 'bogus'")


def test_sessions_show_and_unknown_session(cli) -> None:
    cli("demo", "--today", "2026-11-27")
    code, out, _ = cli("sessions", "show", "GRP-DEP-20261125-DUP")
    assert code == 0 and "Attendees" in out and "signed" in out
    code, _, err = cli("sessions", "show", "NOPE")
    assert code == 2 and err.strip() == ("error: session 'NOPE': no such session (neither a bundle ID nor a record ID)")


def test_every_command_takes_a_session_by_bundle_id_or_record_id_and_says_which(cli) -> None:
    """Events, run names and artifacts use record IDs, the practice system bundle IDs: both work."""
    from sqlmodel import Session, select

    from config.settings import get_settings
    from models.sessions import GroupSession
    from tasks.runtime import engine_for

    cli("demo", "--today", "2026-11-27")
    with Session(engine_for(get_settings().database_url)) as s:
        record = s.exec(select(GroupSession).where(GroupSession.source_id == "GRP-DEP-20261125")).one().id
    said = f"session GRP-DEP-20261125 (record ID {record}; found by its"
    for args in (
        ("sessions", "show"),
        ("eligibility", "show"),
        ("claims", "list", "--session"),
        ("scrub", "--session"),
    ):
        by_bundle, by_record = cli(*args, "GRP-DEP-20261125"), cli(*args, str(record))
        assert by_bundle[0] == by_record[0] == 0, (args, by_bundle[2], by_record[2])
        assert f"{said} bundle ID)" in by_bundle[1] and f"{said} record ID)" in by_record[1], args
    listed = json.loads(cli("claims", "list", "--session", f"record:{record}", "--format", "json")[1])
    assert listed and {row["session_id"] for row in listed} == {"GRP-DEP-20261125"}
    for bad in ("1; DROP TABLE claim", "x" * 300):
        code, _, err = cli("claims", "rescrub", bad)
        assert code == 2 and err.count("\n") == 1 and "not a record ID" in err and len(err) < 200


def test_schema_bundle_is_json_schema(cli) -> None:
    code, out, _ = cli("schema", "bundle")
    schema = json.loads(out)
    assert code == 0 and schema["title"] == "Bundle" and "sessions" in schema["properties"]
    signed_at = json.dumps(schema["$defs"]["NoteRecord"]["properties"]["signed_at"])
    assert "without one" in signed_at and "GROUPBILL_PRACTICE_TIMEZONE" in signed_at
    credential = schema["$defs"]["ProviderRecord"]["properties"]["credential"]
    assert {"LCSW", "LPC", "LCPC", "LISW", "LCMHC", "LPCC", "LCADC"} <= set(credential["enum"])


def test_installed_command_gives_no_traceback(tmp_path: Path) -> None:
    """The real console script, as a user runs it: exit 2, one line, no traceback."""
    broken = tmp_path / "broken.json"
    broken.write_text('{"source_system": ')
    env = {**os.environ, "GROUPBILL_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}
    done = subprocess.run(
        [sys.executable, "-m", "flows.cli", "import", str(broken)],
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr == f"error: {broken}: line 1 column 19: not valid JSON: Expecting value\n"
    assert "Traceback" not in done.stdout + done.stderr


def test_demo_verifies_and_scrubs(cli) -> None:
    code, out, _ = cli("demo", "--today", "2026-11-27")
    assert code == 0
    assert "eligibility: " in out and "scrub: " in out and "Holds by rule" in out and "DOC_NOTE_MISSING" in out


def test_scrub_json_contract_and_rules_list(cli) -> None:
    cli("demo", "--today", "2026-11-27")
    code, out, _ = cli("scrub", "--session", "GRP-TEL-20231228", "--format", "json")
    rows = json.loads(out)
    assert code == 0 and len(rows) == 3
    assert set(rows[0]) == {"claim_id", "session_id", "patient_id", "payer_id", "status", "findings"}
    assert {f["rule"] for f in rows[0]["findings"]} >= {"PROV_CREDENTIAL_NOT_ALLOWED", "PAYER_TIMELY_FILING"}
    assert set(rows[0]["findings"][0]) == {"rule", "severity", "message"}
    code, out, _ = cli("rules", "list", "--payer", "ACME", "--format", "json")
    rules = json.loads(out)
    assert code == 0 and len(rules) == 64
    carve = next(r for r in rules if r["rule"] == "ELIG_CARVE_OUT")
    assert carve["overridden_by"] == "commercial_acme" and carve["severity"] == "warn"
    assert carve["fix"] == "Bill the behavioral-health entity the payer names instead."
    code, _, err = cli("rules", "list", "--payer", "NOBODY")
    assert code == 2 and "neither a payer profile nor a payer ID" in err


def test_a_broken_payer_profile_stops_the_program_with_one_line(cli, tmp_path: Path, monkeypatch) -> None:
    import shutil

    from config import profiles as profile_module
    from tasks.scrubbing import engine as scrub_engine

    folder = tmp_path / "payers"
    shutil.copytree(profile_module.PAYERS_DIR, folder)
    (folder / "bad.yaml").write_text("name: bad\nextends: _default\nrules:\n  - {id: NOPE}\n")
    monkeypatch.setenv("GROUPBILL_PAYERS_DIR", str(folder))
    scrub_engine.profiles.cache_clear()
    scrub_engine.ruleset.cache_clear()
    try:
        code, _, err = cli("rules", "list")
    finally:
        scrub_engine.profiles.cache_clear()
        scrub_engine.ruleset.cache_clear()
    assert code == 2 and err.strip().endswith("bad.yaml: rules[0] (NOPE): unknown rule ID (see `groupbill rules list`)")


def test_eligibility_show_and_auth_alerts(cli) -> None:
    cli("demo", "--today", "2026-11-27")
    code, out, _ = cli("eligibility", "show", "GRP-SUD-20261125")
    assert code == 0 and "Eligibility for GRP-SUD-20261125" in out and "active" in out
    code, out, _ = cli("auths", "list", "--format", "json")
    rows = json.loads(out)
    assert (
        code == 0
        and rows
        and set(rows[0]) >= {"authorization_id", "authorized", "reserved", "consumed", "remaining", "alerts"}
    )
    code, out, _ = cli("auths", "list", "--alerts", "--format", "json")
    assert code == 0 and all(r["alerts"] for r in json.loads(out))


def test_auths_add_update_and_errors(cli) -> None:
    cli("demo", "--today", "2026-11-27")
    code, out, err = cli(
        "auths",
        "add",
        "--patient",
        "PAT-0001",
        "--payer",
        "ACME",
        "--number",
        "PA777",
        "--units",
        "12",
        "--from",
        "2026-11-01",
        "--to",
        "2027-01-31",
        "--rendering",
        "PRV-LCSW",
    )
    assert code == 0, err
    assert "authorization AUTH-PA777: 12 units, 2026-11-01 to 2027-01-31" in out
    code, out, _ = cli("auths", "update", "AUTH-PA777", "--units", "20", "--to", "2027-03-31")
    assert code == 0 and "20 units, 2026-11-01 to 2027-03-31" in out
    rows = {r["authorization_id"]: r for r in json.loads(cli("auths", "list", "--format", "json")[1])}
    assert rows["AUTH-PA777"]["authorized"] == 20 and rows["AUTH-PA777"]["remaining"] == 20
    assert (
        cli("auths", "update", "NOPE", "--units", "1")[2].strip()
        == "error: authorization 'NOPE': no such authorization"
    )
    code, _, err = cli(
        "auths",
        "add",
        "--patient",
        "PAT-9999",
        "--payer",
        "ACME",
        "--number",
        "X",
        "--units",
        "1",
        "--from",
        "2026-01-01",
        "--to",
        "2026-02-01",
    )
    assert code == 2 and err.strip() == "error: authorization: patient 'PAT-9999' not found"
    code, _, err = cli(
        "auths",
        "add",
        "--patient",
        "PAT-0001",
        "--payer",
        "ACME",
        "--number",
        "X",
        "--units",
        "1",
        "--from",
        "2026-03-01",
        "--to",
        "2026-02-01",
    )
    assert code == 2 and "end date is before start date" in err


def test_report_queues_timely_filing_and_fixes_from_the_command_line(cli) -> None:
    cli("demo", "--today", "2026-11-27")
    code, out, _ = cli("report", "--format", "json")
    report = json.loads(out)
    metrics = {m["name"]: m for m in report["metrics"]}
    assert code == 0 and metrics["clearinghouse first-pass acceptance"]["value"] == "100.0%"
    assert "claims submitted" in metrics["clearinghouse first-pass acceptance"]["formula"]
    # carve-outs (CO-109), the payer order disputed (CO-22), and the payers' reversals (CLP02 22) to review
    queues = {"ELIGIBILITY": 3, "COORDINATION_OF_BENEFITS": 2, "REVIEW": 4}
    assert report["denials_by_queue"] == queues and report["denials_by_carc"] == {"CO-109": 3, "CO-22": 2}
    assert set(report["ar_buckets"]) == {"0-30", "31-60", "61-90", "90+"} and report["holds_by_rule"]["DUP_CLAIM"] == 5
    items = json.loads(cli("claims", "queue", "--format", "json")[1])
    assert {i["queue"] for i in items} == set(queues)
    assert all("CO-109" in i["codes"] for i in items if i["queue"] == "ELIGIBILITY")
    timely = json.loads(cli("claims", "timely", "--format", "json")[1])
    past = {(r["service_date"], r["state"], r["payer_id"]) for r in timely}  # the secondaries: 90 days from a late 835
    assert past == {("2023-12-28", "past", "MCR"), ("2026-11-18", "past", "ACME"), ("2026-11-25", "past", "ACME")}
    paid = json.loads(cli("claims", "list", "--status", "paid", "--format", "json")[1])[0]["claim_id"]
    code, out, _ = cli("claims", "correct", str(paid))
    assert code == 0 and f"claim {paid}: correct done as new claim" in out and "ready to send" in out
    code, _, err = cli("claims", "resend", str(paid))
    assert code == 2 and err == f"error: claim {paid}: is paid; only rejected claims are resent\n"
    code, out, _ = cli("daily")
    assert code == 0 and "claims_sent" in out
    assert cli("claims", "list", "--status", "corrected", "--format", "json")[1].count(f'"claim_id": {paid}') == 1
    assert cli("collect")[0] == 0


def test_auths_renew_writes_a_private_278_and_apply_records_the_answer(cli, tmp_path: Path) -> None:
    import stat
    from dataclasses import replace

    from tasks.x12.auth278 import Decision, read_278, write_278

    cli("import", _bundle(tmp_path))
    request = tmp_path / "renew.x12"
    code, out, err = cli("auths", "renew", "AUTH-PAT-0027", "--visits", "8", "--out", str(request))
    assert code == 0, err
    assert stat.S_IMODE(request.stat().st_mode) == 0o600 and "278 renewal request" in out
    (tmp_path / "blocker").write_text("a file where a folder should be")
    code, _, err = cli("auths", "renew", "AUTH-PAT-0027", "--out", str(tmp_path / "blocker" / "renew.x12"))
    assert (
        code == 2
        and err
        == f"error: --out: {tmp_path / 'blocker'}: cannot write renew.x12 there: a file is in the way of the folder\n"
    )
    answer = tmp_path / "answer.x12"
    review = read_278(request.read_text())
    answer.write_text(write_278(replace(review, decision=Decision("A1", "CERT1", approved=8))))
    code, out, _ = cli("auths", "apply-278", str(answer))
    assert code == 0 and "278 A1: certified in total; authorization AUTH-278-CERT1 recorded" in out
    listed = json.loads(cli("auths", "list", "--format", "json")[1])
    assert any(a["number"] == "CERT1" and a["authorized"] == 8 for a in listed)
    code, _, err = cli("auths", "apply-278", str(request))
    assert code == 2 and err == f"error: {request}: 278: this is a request, not a response (no HCR segment)\n"
    stranger = tmp_path / "stranger.x12"  # an answer about an authorization of somebody else's
    stranger.write_text(write_278(replace(review, trace_number="9OTHER12", decision=Decision("A1", "C2", approved=8))))
    code, _, err = cli("auths", "apply-278", str(stranger))
    assert code == 2 and err == f"error: {stranger}: 278: trace number '9OTHER12' names no authorization of ours\n"
    (tmp_path / "junk.x12").write_text("ISA*garbage")
    code, _, err = cli("auths", "apply-278", str(tmp_path / "junk.x12"))
    assert code == 2 and err.startswith(f"error: {tmp_path / 'junk.x12'}:") and len(err.splitlines()) == 1


def _bundle(tmp_path: Path) -> str:
    from datetime import date

    from tasks.synthetic import generate_practice

    path = tmp_path / "bundle.json"
    path.write_text(generate_practice(7, date(2026, 11, 27)).bundle.model_dump_json())
    return str(path)


def test_a_failing_daily_run_is_one_line_on_the_terminal(cli, tmp_path: Path) -> None:
    cli("import", _bundle(tmp_path))  # no sandbox roster installed: the clearinghouse refuses every call
    code, _, err = cli("daily")
    assert code == 1 and "Traceback" not in err
    assert err.strip().splitlines()[-1].startswith("error: ") and "no sandbox payer roster" in err


def test_scrub_waits_for_a_daily_run_scrubbing_the_same_claims(cli, tmp_path: Path, database_url: str) -> None:
    """The command takes the billing lock as the daily run does: it waits, then checks what is left,
    instead of racing the run's status changes and failing on a conflict."""
    import threading
    from datetime import date

    from models.db import lock_billing, make_engine, session_scope
    from tasks.daily import pipeline
    from tasks.scrubbing.run import scrub_claims, scrubbable_claims

    cli("import", _bundle(tmp_path))
    engine = make_engine(database_url)
    today = date(2026, 11, 27)
    pipeline.draft(engine, pipeline.Window(None, None, today), source="test")
    outcome: dict[str, tuple[int, str, str]] = {}
    with session_scope(engine) as run:  # the daily run's scrub, still open
        lock_billing(run)
        report = scrub_claims(run, scrubbable_claims(run), today=today, source="test")
        held = {r.claim_id for r in report.results if r.status.value == "on_hold"}
        command = threading.Thread(target=lambda: outcome.update(result=cli("scrub", "--format", "json")))
        command.start()
        assert still_running(command, 1.5), outcome
    command.join(timeout=60)
    engine.dispose()
    code, out, err = outcome["result"]
    assert code == 0, err
    rows = json.loads(out)  # what the run left unsent: its holds, checked again
    assert held and {r["claim_id"] for r in rows} == held and {r["status"] for r in rows} == {"on_hold"}


def test_the_embedded_prefect_server_gets_time_for_its_first_start(cli, monkeypatch) -> None:
    """A fresh PREFECT_HOME's first start migrates a new database: Prefect's 20 s default was too short once."""
    from flows.cli.app import EPHEMERAL_STARTUP_SECONDS

    monkeypatch.delenv("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", raising=False)
    assert cli("schema", "bundle")[0] == 0
    assert os.environ["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"] == str(EPHEMERAL_STARTUP_SECONDS) == "90"
    monkeypatch.setenv("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "300")  # an operator's own value stands
    assert cli("schema", "bundle")[0] == 0
    assert os.environ["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"] == "300"


def test_alerts_list_and_acknowledge_from_the_command_line(cli) -> None:
    from config.settings import get_settings
    from models.db import session_scope
    from tasks.alerting import FailedRun, remember_alert
    from tasks.runtime import engine_for

    cli("alerts", "list")  # the schema is in place
    with session_scope(engine_for(get_settings().database_url)) as s:
        alert_id = remember_alert(s, FailedRun("4f1c", "daily-claims", "daily-claims-x", "Failed", "step: cause"))
    code, out, _ = cli("alerts", "list", "--open", "--format", "json")
    assert code == 0 and [(a["alert"], a["cause"], a["closed"]) for a in json.loads(out)] == [
        (alert_id, "step: cause", "")
    ]
    code, out, _ = cli("alerts", "ack", str(alert_id))
    assert code == 0 and f"alert {alert_id} acknowledged" in out
    code, out, _ = cli("alerts", "list", "--open")
    assert code == 0 and "No open alerts." in out
    code, out, _ = cli("alerts", "ack", str(alert_id))
    assert code == 0 and "already closed: acknowledged" not in out  # acknowledging twice is harmless
    for bad in ("1; DROP TABLE opsalert", "0", "x" * 500):
        code, _, err = cli("alerts", "ack", bad)
        assert code == 2 and err.count("\n") == 1 and "not a record ID" in err and len(err) < 200
    code, _, err = cli("alerts", "ack", "999")
    assert code == 2 and err == "error: alert 999: no such alert (`groupbill alerts list` shows them)\n"


def test_the_sandbox_refuses_placeholder_keys_and_short_keys_off_loopback(cli, capsys) -> None:
    code, _, err = cli("sandbox", "serve", "--api-key", "changeme")
    assert code == 2 and err == "error: sandbox serve: --api-key 'changeme' is a placeholder; choose a real key\n"
    code, _, err = cli("sandbox", "serve", "--host", "0.0.0.0", "--api-key", "test-key")
    assert code == 2 and "reachable from other machines: the key must have at least 24 characters (it has 8)" in err
    from flows.cli.sandbox import _usable_key

    assert _usable_key("k" * 24, "0.0.0.0") == "k" * 24
    assert "WARNING: the sandbox listens on 0.0.0.0" in capsys.readouterr().err
    assert _usable_key("test-key-7f3a", "127.0.0.1") == _usable_key("test-key-7f3a", "::1") == "test-key-7f3a"


def test_the_readme_s_session_for_eligibility_exists_in_the_demo_and_runs_by_either_id(cli) -> None:
    """The README takes its example session from `sessions list --upcoming` after the demo (it once used
    session 42, which the demo lacks), and the flow takes the record ID or the bundle ID."""
    import re
    from pathlib import Path

    from flows.eligibility import eligibility_check

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    assert "groupbill sessions list --upcoming --format json" in readme and '"session_id": 42' not in readme
    cli("demo", "--today", "2026-11-27")
    code, out, _ = cli("sessions", "list", "--upcoming", "--format", "json")
    first = json.loads(out)[0]
    assert code == 0 and first["date"] >= "2026-11-27" and first["status"] == "scheduled"
    by_record = eligibility_check(session_id=first["record_id"])
    by_bundle = eligibility_check(session_id=first["bundle_id"])
    assert by_record["sessions"] == by_bundle["sessions"] == 1 and by_record["coverages"] == by_bundle["coverages"] > 0
    assert re.search(r"SESSION=\$\(groupbill sessions list --upcoming --format json \| python3 -c", readme)


def test_a_bundle_of_many_bad_records_prints_the_first_problems_and_counts_the_rest(cli, tmp_path: Path) -> None:
    from datetime import date

    from tasks.synthetic import generate_practice

    data = json.loads(generate_practice(7, date(2026, 11, 27)).bundle.model_dump_json(exclude_none=True))
    bad = {**data["sessions"][0], "start_time": "25:99", "status": "weird"}
    data["sessions"] = [{**bad, "id": f"S{n}"} for n in range(300)]  # two problems each
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    code, _, err = cli("import", str(path))
    lines = err.splitlines()
    assert code == 2 and len(lines) == 51 and all(line.startswith(f"error: {path}: ") for line in lines)
    assert lines[0] == f"error: {path}: sessions[0].start_time: " + lines[0].split("start_time: ", 1)[1]
    assert lines[-1] == f"error: {path}: and 550 more problems (the first 50 are above)"
    code, _, err = cli("import", str(path), "--max-mb", "0.01")
    assert code == 2 and err.count("\n") == 1 and "MB limit for a bundle" in err and "--max-mb" in err


def test_deep_nesting_is_one_line_not_a_recursion_traceback(cli, tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    code, _, err = cli("import", str(deep))
    assert (
        code == 2
        and err == f"error: {deep}: nested too deeply to be a bundle (JSON arrays or objects within each other)\n"
    )
    from config.profiles import load_profiles
    from models.errors import ConfigError
    from tasks.scrubbing.registry import all_rules

    folder = tmp_path / "payers"
    folder.mkdir()
    (folder / "_default.yaml").write_text("name: _default\nrules: " + "[" * 5000 + "]" * 5000 + "\n")
    with pytest.raises(ConfigError, match="nested too deeply to be a payer profile"):
        load_profiles({rule_id: r.parse_params for rule_id, r in all_rules().items()}, folder)


def test_x12_validate_stops_after_the_first_problems(cli, tmp_path: Path) -> None:
    golden = Path(__file__).resolve().parents[1] / "fixtures" / "x12" / "837p_group_with_addon.x12"
    segments = golden.read_text().replace("\n", "").split("~")
    first = next(i for i, s in enumerate(segments) if s.startswith("HL*2"))
    end = next(i for i, s in enumerate(segments) if s.startswith("SE*"))
    many = segments[:first] + segments[first:end] * 120 + segments[end:]  # every repeat breaks the HL count
    path = tmp_path / "many.x12"
    path.write_text("~".join(many))
    code, out, _ = cli("x12", "validate", str(path), "--max-problems", "5")
    assert code == 1 and len(out.splitlines()) == 6
    assert out.splitlines()[-1] == f"{path}: stopped after the first 5 problems (--max-problems N for more)"
    code, _, err = cli("x12", "validate", str(path), "--max-mb", "0.001")
    assert code == 2 and err.count("\n") == 1 and "over the 0.001 MB limit (`--max-mb N` raises it)" in err


def test_the_demo_s_quiet_claims_are_followed_up_listed_and_asked_about_from_the_command_line(cli, clock_at) -> None:
    """The demo billed on 2026-10-01 with the payers' quiet habits; on the suite's today (57 days later) the claims
    still without an 835 are past their turnaround, in the report with their dollars, and can be asked about."""
    from tests.conftest import NOW

    code, out, _ = cli("demo", "--today", "2026-10-01", "--quiet-claims")
    said = " ".join(out.split())
    assert code == 0 and "claim status follow-up (days 46 and earlier after sending): 12 claims" in said, said[-600:]
    assert "filed: MISSING_CLAIM 2, MISSING_ERA 3, REQUESTED_INFO 3, denials 0; 4 pended (wait)" in said
    clock_at(NOW)
    code, out, _ = cli("claims", "quiet", "--format", "json")
    quiet = json.loads(out)
    assert code == 0 and len(quiet) == 10 and {q["reason"] for q in quiet} == {"no-835"}
    assert {q["days_waiting"] for q in quiet} == {57} and {q["status"] for q in quiet} == {"accepted"}
    assert sorted(q["last_answer"] for q in quiet) == ["F1:65"] * 3 + ["P1:20"] * 4 + ["R4:294"] * 3
    metrics = {m["name"]: m["value"] for m in json.loads(cli("report", "--format", "json")[1])["metrics"]}
    assert metrics["claims past turnaround"] == "10"
    assert metrics["charges past turnaround"] == f"{sum(Decimal(q['charge']) for q in quiet):.2f}"
    pended = next(q["claim_id"] for q in quiet if q["last_answer"] == "P1:20")
    code, out, _ = cli("claims", "status", str(pended))
    assert code == 0 and f"claim {pended}: pended (P1 pending, in process; 20 " in " ".join(out.split())
    code, _, err = cli("claims", "status", "999999")
    assert code == 2 and err == "error: claim 999999: no such claim\n"
