"""How fast a `groupbill.session.scheduled` event becomes a running eligibility check.

    python -m benchmarks.trigger_latency [--events 10] [--poll 2] [--gap 1-3]

Starts a real `prefect server start` and `python -m deployments.serve` (runner poll --poll seconds)
over a synthetic practice in a temporary folder, then posts one event at a time and measures from
posting to the triggered run's start (Running) and to its end. Prints one JSON line with the medians
(and each event's figures on stderr). Target: median event -> running <= 3 s with a 2 s poll.

Between one run's end and the next event it waits a random `--gap` (seconds, seeded): sessions are
booked by people, not back to back, and posting the instant a run ends measures the server still
filing that run's own state events (its trigger service works through them in order) and always
meets the runner's poll at the same phase.
"""

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from benchmarks import TODAY, pin_clock
from deployments.local import server_env, start_deployments, start_server, stop_process, wait_deployments, wait_healthy


def _setup(folder: Path) -> dict[str, str]:
    from models.db import session_scope
    from tasks.importing import import_bundle
    from tasks.runtime import engine_for
    from tasks.synthetic import generate_practice
    from tasks.synthetic.generate import install_roster

    practice = generate_practice(7, TODAY)
    install_roster(practice, folder / "sandbox")
    url = f"sqlite:///{folder / 'billing.db'}"
    with session_scope(engine_for(url)) as session:
        import_bundle(session, practice.bundle)
    return {"GROUPBILL_DATABASE_URL": url, "GROUPBILL_SANDBOX_DIR": str(folder / "sandbox")}


def _picked_up(api: str, run_id: str) -> datetime:
    """When the runner took the run (its PENDING state), before it spawned the run's process."""
    states = httpx.get(f"{api}/flow_run_states/", params={"flow_run_id": run_id}, timeout=10).json()
    return min(datetime.fromisoformat(s["timestamp"]) for s in states if s["type"] == "PENDING")


def _one(api: str, deployment_id: str, session_id: int) -> tuple[float, float, float, float]:
    """Post one event; seconds to the run's creation (the trigger fired), pick-up, start, and end."""
    from tasks.eligibility.announce import session_scheduled

    posted = datetime.now(UTC)  # Prefect's timestamps are on the system clock
    event = session_scheduled(session_id, TODAY + timedelta(days=3), posted)
    httpx.post(f"{api}/events", json=[event], timeout=10)
    body = {"deployments": {"id": {"any_": [deployment_id]}}}
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        for run in httpx.post(f"{api}/flow_runs/filter", json=body, timeout=10).json():
            if run["parameters"].get("session_id") == session_id and run["state_type"] == "COMPLETED":
                created, started, ended = (
                    datetime.fromisoformat(run[k]) for k in ("created", "start_time", "end_time")
                )
                moments = (created, _picked_up(api, run["id"]), started, ended)
                return tuple((t - posted).total_seconds() for t in moments)  # type: ignore[return-value]
        time.sleep(0.2)
    raise RuntimeError(f"no completed run for session {session_id} within 120 s")


def main() -> None:
    """Measure and print one JSON line."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=10)
    parser.add_argument("--poll", type=float, default=2)
    parser.add_argument("--gap", default="1-3", help="seconds between a run's end and the next event: LOW-HIGH")
    args = parser.parse_args()
    pin_clock()  # the served runs inherit it
    low, high = (float(x) for x in args.gap.split("-"))
    pause = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        port = 4300 + os.getpid() % 500
        env = server_env(folder / "prefect", port) | _setup(folder)
        env["PREFECT_RUNNER_POLL_FREQUENCY"] = str(args.poll)
        server = start_server(env, port, (folder / "server.log").open("w"))
        served = None
        try:
            wait_healthy(env["PREFECT_API_URL"])
            served = start_deployments(env, (folder / "serve.log").open("w"))
            deployment = wait_deployments(env["PREFECT_API_URL"], ["eligibility-check/morning-and-events"])
            time.sleep(3)  # the trigger's automation reaches the server's trigger service
            results = []
            for n in range(1, args.events + 1):
                time.sleep(pause.uniform(low, high))
                results.append(_one(env["PREFECT_API_URL"], deployment["eligibility-check/morning-and-events"], n))
                print(json.dumps({"event": n, "seconds": [round(t, 2) for t in results[-1]]}), file=sys.stderr)
        finally:
            for process in (served, server):
                if process is not None:
                    stop_process(process.pid)
                    process.wait(timeout=10)
    to_running = [r[2] for r in results]
    print(
        json.dumps(
            {
                "events": args.events,
                "poll_seconds": args.poll,
                "event_to_running_median_s": round(statistics.median(to_running), 2),
                "event_to_running_max_s": round(max(to_running), 2),
                "event_to_run_created_median_s": round(statistics.median(r[0] for r in results), 2),
                "event_to_picked_up_median_s": round(statistics.median(r[1] for r in results), 2),
                "event_to_completed_median_s": round(statistics.median(r[3] for r in results), 2),
            }
        )
    )


if __name__ == "__main__":
    main()
