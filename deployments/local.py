"""`make serve` / `make stop`: a local Prefect server on 127.0.0.1 (PREFECT_HOME under .groupbill/)
and every groupbill deployment served from one process, both recorded by PID so `stop` finds them.

`python -m deployments.local start [--port 4200]` and `python -m deployments.local stop`. The same
helpers start the processes of the integration tests and the trigger-latency benchmark.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import IO

import httpx

ROOT = Path(__file__).resolve().parents[1]
STATE = ROOT / ".groupbill"
POLL_SECONDS = 2


def server_env(home: Path, port: int) -> dict[str, str]:
    """The environment of a Prefect server (and its clients) whose home and database live in `home`."""
    return {
        **os.environ,
        "PREFECT_HOME": str(home),
        "PREFECT_API_URL": f"http://127.0.0.1:{port}/api",
        "PREFECT_API_DATABASE_CONNECTION_URL": f"sqlite+aiosqlite:///{home / 'prefect.db'}",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_RESULTS_PERSIST_BY_DEFAULT": "true",
        # the README's promise: an event-triggered check is Running about 2 s after its event
        "PREFECT_RUNNER_POLL_FREQUENCY": os.environ.get("PREFECT_RUNNER_POLL_FREQUENCY", str(POLL_SECONDS)),
    }


def start_server(env: dict[str, str], port: int, log: IO[str]) -> subprocess.Popen[bytes]:
    """`prefect server start` on 127.0.0.1:`port`, in its own process group."""
    command = [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)]
    return subprocess.Popen(command, env=env, stdout=log, stderr=log, cwd=ROOT, start_new_session=True)


def start_deployments(env: dict[str, str], log: IO[str]) -> subprocess.Popen[bytes]:
    """`python -m deployments.serve`: every deployment, its schedules and triggers, in one process."""
    command = [sys.executable, "-m", "deployments.serve"]
    return subprocess.Popen(command, env=env, stdout=log, stderr=log, cwd=ROOT, start_new_session=True)


def wait_healthy(api_url: str, seconds: float = 90) -> None:
    """Wait until the API answers its health check; RuntimeError after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{api_url}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"Prefect API at {api_url} did not answer within {seconds:.0f} s")


def wait_deployments(api_url: str, names: list[str], seconds: float = 90) -> dict[str, str]:
    """Wait until every `flow/deployment` name is registered; their IDs."""
    deadline = time.monotonic() + seconds
    found: dict[str, str] = {}
    while time.monotonic() < deadline and len(found) < len(names):
        for name in names:
            response = httpx.get(f"{api_url}/deployments/name/{name}", timeout=5)
            if response.status_code == 200:
                found[name] = response.json()["id"]
        time.sleep(0.5)
    missing = sorted(set(names) - set(found))
    if missing:
        raise RuntimeError(f"deployments not registered within {seconds:.0f} s: {', '.join(missing)}")
    return found


def stop_process(pid: int, seconds: float = 20) -> None:
    """SIGTERM the process group, then SIGINT (a worker needs a second signal), then SIGKILL."""
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGKILL):
        try:
            os.killpg(pid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + seconds / 2
        while time.monotonic() < deadline:
            if not _alive(pid):
                return
            time.sleep(0.2)


def _alive(pid: int) -> bool:
    try:
        finished, _ = os.waitpid(pid, os.WNOHANG)
        return finished == 0
    except ChildProcessError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True


def start(port: int = 4200) -> None:
    """Start the server and the deployments, record their PIDs, set up limits and alerts, print the UI."""
    from models.private import owner_only_umask, private_dir, tighten_tree

    owner_only_umask()  # the server's database, results and logs are owner-only, as ours are
    tighten_tree(private_dir(STATE))
    run = private_dir(STATE / "run")
    if (run / "server.pid").exists():
        raise SystemExit("already running (make stop first): " + str(run / "server.pid"))
    env = server_env(private_dir(STATE / "prefect"), port)
    # This process talks to that server too (the payer limits): pointed at it before Prefect is first
    # imported here, or Prefect would start an embedded server of its own to answer.
    os.environ.update({k: env[k] for k in ("PREFECT_API_URL", "PREFECT_HOME", "PREFECT_SERVER_ANALYTICS_ENABLED")})
    from deployments.setup import create_payer_limits

    server = start_server(env, port, (run / "server.log").open("w"))
    (run / "server.pid").write_text(str(server.pid))
    wait_healthy(env["PREFECT_API_URL"])
    served = start_deployments(env, (run / "serve.log").open("w"))
    (run / "serve.pid").write_text(str(served.pid))
    wait_deployments(env["PREFECT_API_URL"], ["daily-claims/billing-run"])
    limits = create_payer_limits()
    _say(f"Prefect UI: http://127.0.0.1:{port}  (API {env['PREFECT_API_URL']}); {limits} payer rate limits")
    _say(f"runs start within about {env['PREFECT_RUNNER_POLL_FREQUENCY']} s of their schedule or event (poll)")
    _say(f"logs: {run}/server.log, {run}/serve.log; stop with `make stop`")


def stop() -> None:
    """Stop what `start` started, deployments first."""
    run = STATE / "run"
    for name in ("serve", "server"):
        pid_file = run / f"{name}.pid"
        if pid_file.exists():
            stop_process(int(pid_file.read_text()))
            pid_file.unlink()
            _say(f"stopped {name}")


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")


def main() -> None:
    """`start [--port N]` or `stop`."""
    args = sys.argv[1:]
    if args[:1] == ["start"]:
        start(int(args[2]) if args[1:2] == ["--port"] else 4200)
    elif args[:1] == ["stop"]:
        stop()
    else:
        raise SystemExit("usage: python -m deployments.local start [--port N] | stop")


if __name__ == "__main__":
    main()
