"""How fast a `groupbill.session.scheduled` event becomes an eligibility answer stored through a practice's
`stedi` connection, against the local server that follows Stedi's contract.

    python -m benchmarks.stedi_eligibility [--events 10] [--poll 2] [--gap 1-3]

As benchmarks.trigger_latency (a real `prefect server start` and `python -m deployments.serve` over a
synthetic practice), but the practice bills through a `stedi` connection (a connections file, its key in
an owner-only file) to `groupbill sandbox serve --profile stedi` on loopback, and the default connection's
sandbox folder does not exist: a check that did not go through the connector fails. An event's answer is
stored when its triggered run completes. Prints one JSON line with the medians.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import yaml

from benchmarks import pin_clock
from benchmarks.trigger_latency import _one, _setup
from deployments.local import server_env, start_deployments, start_server, stop_process, wait_deployments, wait_healthy

KEY = "bench-stedi-key-0e5b7a9c"
DEPLOYMENT = "eligibility-check/morning-and-events"


def _stedi(folder: Path, env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    """The local Stedi server over the practice's sandbox payers; the connections file naming it."""
    sandbox = env.pop("GROUPBILL_SANDBOX_DIR")
    key = folder / "stedi.key"
    key.write_text(KEY)
    key.chmod(0o600)
    base = f"http://127.0.0.1:{port}"
    connection = {"kind": "stedi", "healthcare_url": f"{base}/2024-04-01", "core_url": f"{base}/2023-08-01"}
    path = folder / "clearinghouses.yaml"
    path.write_text(yaml.safe_dump({"connections": {"stedi-test": connection | {"api_key_file": str(key)}}}))
    env |= {"GROUPBILL_CLEARINGHOUSES_FILE": str(path), "GROUPBILL_SANDBOX_DIR": str(folder / "nowhere")}
    command = [sys.executable, "-m", "flows.cli", "sandbox", "serve", "--profile", "stedi", "--port", str(port)]
    command += ["--folder", sandbox, "--api-key", KEY]
    log = (folder / "stedi.log").open("w")
    return subprocess.Popen(command, env=env, stdout=log, stderr=log, start_new_session=True)


def _bill_through_stedi(env: dict[str, str]) -> None:
    """Every practice of the billing database names the stedi connection."""
    from sqlmodel import Session, select

    from models.practice import Practice
    from tasks.runtime import engine_for

    with Session(engine_for(env["GROUPBILL_DATABASE_URL"])) as session:
        for practice in session.exec(select(Practice)):
            practice.clearinghouse = "stedi-test"
            session.add(practice)
        session.commit()


def _wait_stedi(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/admin/faults", headers={"Authorization": KEY}, timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError("the local Stedi server did not start")


def _checks(env: dict[str, str]) -> int:
    from sqlmodel import Session, func, select

    from models.exchange import EligibilityCheck
    from tasks.runtime import engine_for

    with Session(engine_for(env["GROUPBILL_DATABASE_URL"])) as session:
        return int(session.exec(select(func.count()).select_from(EligibilityCheck)).one())


def main() -> None:
    """Measure and print one JSON line."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=10)
    parser.add_argument("--poll", type=float, default=2)
    parser.add_argument("--gap", default="1-3", help="seconds between a run's end and the next event: LOW-HIGH")
    args = parser.parse_args()
    pin_clock()
    low, high = (float(x) for x in args.gap.split("-"))
    pause = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        port = 4300 + os.getpid() % 500
        env = server_env(folder / "prefect", port) | _setup(folder)
        env["PREFECT_RUNNER_POLL_FREQUENCY"] = str(args.poll)
        stedi = _stedi(folder, env, port + 600)
        _bill_through_stedi(env)
        server = start_server(env, port, (folder / "server.log").open("w"))
        served = None
        try:
            _wait_stedi(port + 600)
            wait_healthy(env["PREFECT_API_URL"])
            served = start_deployments(env, (folder / "serve.log").open("w"))
            deployment = wait_deployments(env["PREFECT_API_URL"], [DEPLOYMENT])[DEPLOYMENT]
            time.sleep(3)  # the trigger's automation reaches the server's trigger service
            before, results = _checks(env), []
            for n in range(1, args.events + 1):
                time.sleep(pause.uniform(low, high))
                results.append(_one(env["PREFECT_API_URL"], deployment, n))
                print(json.dumps({"event": n, "seconds": [round(t, 2) for t in results[-1]]}), file=sys.stderr)
            stored = _checks(env) - before
        finally:
            for process in (served, server, stedi):
                if process is not None:
                    stop_process(process.pid)
                    process.wait(timeout=10)
    done = [r[3] for r in results]
    print(
        json.dumps(
            {
                "events": args.events,
                "poll_seconds": args.poll,
                "connection": "stedi (local server)",
                "checks_stored": stored,
                "event_to_answer_stored_median_s": round(statistics.median(done), 2),
                "event_to_answer_stored_max_s": round(max(done), 2),
                "event_to_running_median_s": round(statistics.median(r[2] for r in results), 2),
            }
        )
    )


if __name__ == "__main__":
    main()
