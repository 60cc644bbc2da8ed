"""The daily pipeline end to end at scale: N attendee-claims of one service day over many payers.

    python -m benchmarks.pipeline_bench [--claims 100000] [--skip-prefect] [--floor] [--postgres ADMIN_URL]
                                        [--clearinghouse http|sftp]

A child process builds the practice (not timed): a clean scaled practice imported into a SQLite
database, the sandbox roster, and fresh eligibility checks. Then, each on its own copy and in its own
child process: the pipeline's functions called directly (draft -> documentation, authorization and
every rule -> 837P -> sandbox submission -> reports -> posting), and the same steps as the
daily_claims and collect_reports Prefect flows (on an ephemeral API, started before the clock). The
clearinghouse is the sandbox HTTP server in a process of its own, as a real one would be, so the
measured memory is the pipeline's. Prints one JSON line: claims, seconds, claims_per_s and
peak_rss_mb of the direct run, the Prefect/direct time ratio, and the seconds and peak RSS of each stage.
With --floor (SQLite), also the seconds the direct run's rows take to write with nothing else
(benchmarks/write_floor.py): the least any version of this pipeline could take on this machine.

With --clearinghouse sftp the clearinghouse is an SFTP mailbox on loopback: a real sshd (tests/sftp_server.py;
root and Debian's openssh-server) serving a folder that `groupbill sandbox mailbox` works, so `send` is
the uploads and `collect` lasts until the far side has answered every file and each answer is applied.

With --postgres (an admin URL such as `.ci/postgres` prints; `make bench-postgres`) the billing
database is PostgreSQL: the practice is built into a template database and each run gets a copy
(CREATE DATABASE ... TEMPLATE), dropped afterwards.
"""

import argparse
import json
import os
import resource
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks import TODAY, pin_clock
from benchmarks.databases import BenchDatabases

ROOT = Path(__file__).resolve().parents[1]


def build(folder: Path, claims: int) -> None:
    """The practice's database and sandbox roster in `folder` (child process: its memory is not counted)."""
    from config.settings import get_settings
    from models.db import session_scope
    from tasks.clearinghouse.sandbox.simulator import SandboxClearinghouse
    from tasks.daily import pipeline
    from tasks.importing import import_bundle
    from tasks.runtime import engine_for
    from tasks.synthetic.scaled import scaled_practice

    bundle, roster = scaled_practice(claims, today=TODAY)
    (folder / "sandbox").mkdir(parents=True)
    (folder / "sandbox" / "roster.json").write_text(roster.model_dump_json(exclude_none=True))
    engine = engine_for(_database_url(folder))
    with session_scope(engine) as session:
        import_bundle(session, bundle)
    window = pipeline.Window(None, None, TODAY)
    pipeline.draft(engine, window, source="bench-setup")  # eligibility needs the claims' coverages and dates
    sandbox = SandboxClearinghouse.from_folder(folder / "sandbox", get_settings().timezone)
    pipeline.refresh_eligibility(engine, sandbox, window, get_settings().now())
    _undraft(engine)
    engine.dispose()


def _undraft(engine: Any) -> None:
    """Drop the claims drafted to learn the coverages to check: the timed run drafts them itself."""
    from sqlalchemy import text

    tables = ("claimevent", "finding", "claimline", "claim")
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            # CASCADE reaches only tables still empty at set-up (ledger, work items, payments)
            connection.execute(text(f"TRUNCATE {', '.join(tables)} CASCADE"))
            connection.commit()
            return
        # Every row goes, so the foreign-key checks (a scan of the unindexed self-reference per
        # claim: quadratic) are switched off for this connection; PRAGMA works only outside a transaction.
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        connection.commit()
        for table in tables:
            connection.execute(text(f"DELETE FROM {table}"))  # noqa: S608 (fixed names)
        connection.commit()
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")


def run_direct(folder: Path) -> dict[str, Any]:
    """The pipeline's functions in this process, timed stage by stage."""
    from config.reference_data import x12_codes
    from config.settings import get_settings
    from tasks.daily import pipeline
    from tasks.runtime import clearinghouse, engine_for, practice_envelope

    os.environ |= {"GROUPBILL_DATABASE_URL": _database_url(folder), "GROUPBILL_OUTPUT_DIR": str(folder / "out")}
    get_settings.cache_clear()
    engine = engine_for(_database_url(folder))
    sandbox = clearinghouse(paced=False)  # the HTTP client or the mailbox, configured by _with_sandbox/_with_mailbox
    window, envelope = pipeline.Window(None, None, TODAY), practice_envelope
    stages: dict[str, float] = {}
    started = time.perf_counter()
    _timed(stages, "draft", lambda: pipeline.draft(engine, window, source="bench"))
    _timed(stages, "eligibility", lambda: pipeline.refresh_eligibility(engine, sandbox, window, get_settings().now()))
    _timed(stages, "scrub", lambda: pipeline.scrub(engine, window, source="bench"))
    _timed(stages, "assemble", lambda: pipeline.assemble(engine, envelope, get_settings().now(), source="bench"))
    _timed(stages, "send", lambda: pipeline.send(engine, sandbox, source="bench"))
    collect = lambda: pipeline.collect_reports(engine, sandbox, x12_codes(), source="bench")  # noqa: E731
    if os.environ.get("GROUPBILL_CLEARINGHOUSES_FILE"):  # a mailbox answers as its far side gets round to it
        _timed(stages, "collect", lambda: _collect_until_adjudicated(collect, engine))
    else:
        _timed(stages, "collect", lambda: _collect_until_quiet(collect))
    return {"seconds": time.perf_counter() - started, "stages": stages, "paid": _paid(engine)}


def _collect_until_adjudicated(collect: Callable[[], dict[str, int]], engine: Any, seconds: float = 1800) -> None:
    """Collect until no claim waits for its 835 (the mailbox works in its own time), half a second apart."""
    from sqlalchemy import text

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        collect()
        with engine.connect() as connection:
            waiting = connection.execute(
                text("SELECT count(*) FROM claim WHERE status IN ('submitting', 'submitted', 'accepted')")
            ).scalar_one()
        if not waiting:
            return
        time.sleep(0.5)
    raise RuntimeError("the mailbox did not answer every claim in time")


def run_prefect(folder: Path) -> dict[str, Any]:
    """The same steps as the daily_claims and collect_reports flows (ephemeral Prefect API)."""
    from prefect import flow

    os.environ |= {
        "GROUPBILL_DATABASE_URL": _database_url(folder),
        "GROUPBILL_OUTPUT_DIR": str(folder / "out"),
    }
    from flows.claims import collect_reports, daily_claims
    from tasks.runtime import billing_engine

    flow(name="bench-warm-up")(lambda: None)()  # starts the ephemeral API before the clock
    started = time.perf_counter()
    daily_claims(as_of=TODAY, collect=False)
    _collect_until_quiet(collect_reports)
    return {"seconds": time.perf_counter() - started, "paid": _paid(billing_engine())}


def _collect_until_quiet(collect: Callable[[], dict[str, int]]) -> None:
    """Collect until a pass finds no report (the sandbox releases 835s a poll after the 999/277CA)."""
    for _ in range(6):
        if not collect().get("reports"):
            return


def _database_url(folder: Path) -> str:
    """The run's billing database: the PostgreSQL copy named in the folder, else the folder's SQLite file."""
    named = folder / "database_url"
    return named.read_text() if named.exists() else f"sqlite:///{folder / 'billing.db'}"


def _timed(stages: dict[str, float], name: str, step: Callable[[], object]) -> None:
    """Seconds of the stage, and the process's peak RSS once it is done (where memory grows with N)."""
    start = time.perf_counter()
    step()
    stages[name] = round(time.perf_counter() - start, 2)
    stages[f"{name}_peak_rss_mb"] = _peak_rss_mb()


def _peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _paid(engine: Any) -> int:
    """Claims paid in full or in part: the proof the run went all the way."""
    from sqlalchemy import text

    with engine.connect() as connection:
        return int(
            connection.execute(
                text("SELECT count(*) FROM claim WHERE status IN ('paid', 'partially_paid')")
            ).scalar_one()
        )


def _child(mode: str, folder: Path, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run `mode` in a fresh process; its JSON result."""
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.pipeline_bench", "--child", mode, str(folder)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **(env or {})},
    )
    if done.returncode != 0:
        raise RuntimeError(f"{mode} failed:\n{done.stderr[-4000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _as_child(mode: str, folder: Path) -> None:
    from config.settings import get_settings

    get_settings()  # the clock the parent pinned (GROUPBILL_CLOCK_SHIFT), before anything reads it
    result: dict[str, Any] = {}
    if mode == "build":
        build(folder, int((folder / "claims").read_text()))
    else:
        result = (run_direct if mode == "direct" else run_prefect)(folder)
    result["peak_rss_mb"] = _peak_rss_mb()
    print(json.dumps(result))  # noqa: T201


def main() -> None:
    """Build, run directly, run with Prefect; print one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--skip-prefect", action="store_true")
    parser.add_argument("--floor", action="store_true", help="also time writing the run's rows alone (SQLite)")
    parser.add_argument("--postgres", metavar="ADMIN_URL", help="billing database on this PostgreSQL server")
    parser.add_argument(
        "--clearinghouse", choices=("http", "sftp"), default="http", help="the sandbox over HTTP or SFTP"
    )
    parser.add_argument("--child", nargs=2, metavar=("MODE", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _as_child(args.child[0], Path(args.child[1]))
        return
    pin_clock()  # the children inherit it
    with tempfile.TemporaryDirectory(prefix="groupbill-bench-") as tmp, BenchDatabases(args.postgres) as databases:
        template = Path(tmp) / "template"
        template.mkdir()
        (template / "claims").write_text(str(args.claims))
        databases.name(template)
        built = time.perf_counter()
        _child("build", template)
        build_seconds = time.perf_counter() - built
        far_side = _with_mailbox if args.clearinghouse == "sftp" else _with_sandbox
        direct = far_side("direct", databases.copy(template, Path(tmp) / "direct"))
        prefect = None if args.skip_prefect else far_side("prefect", databases.copy(template, Path(tmp) / "prefect"))
        floor = _write_floor(Path(tmp)) if args.floor and not args.postgres else None
    seconds = direct["seconds"]
    print(
        json.dumps(
            {  # noqa: T201
                "claims": args.claims,
                "database": "postgresql" if args.postgres else "sqlite",
                "clearinghouse": args.clearinghouse,
                "seconds": round(seconds, 2),
                "claims_per_s": round(args.claims / seconds),
                "peak_rss_mb": direct["peak_rss_mb"],
                "prefect_overhead_ratio": round(prefect["seconds"] / seconds, 3) if prefect else None,
                "paid": direct["paid"],
                "stages_s": direct["stages"],
                "prefect_seconds": round(prefect["seconds"], 2) if prefect else None,
                "prefect_peak_rss_mb": prefect["peak_rss_mb"] if prefect else None,
                "setup_s": round(build_seconds, 1),
                "write_floor": floor,
            }
        )
    )


def _write_floor(runs: Path) -> dict[str, Any]:
    """benchmarks/write_floor.py on the direct run's finished database and the template it began from."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.write_floor",
            str(runs / "direct" / "billing.db"),
            str(runs / "template" / "billing.db"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _with_sandbox(mode: str, folder: Path) -> dict[str, Any]:
    """`mode` in a child process against `groupbill sandbox serve` on the folder's roster."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    key = "bench-sandbox-key"
    command = [
        sys.executable,
        "-m",
        "flows.cli",
        "sandbox",
        "serve",
        "--port",
        str(port),
        "--folder",
        str(folder / "sandbox"),
    ]
    log = (folder / "sandbox.log").open("w")
    server = subprocess.Popen([*command, "--api-key", key], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_port(port)
        env = {
            "GROUPBILL_CLEARINGHOUSE": "http",
            "GROUPBILL_CLEARINGHOUSE_URL": f"http://127.0.0.1:{port}",
            "GROUPBILL_CLEARINGHOUSE_API_KEY": key,
            "GROUPBILL_CLEARINGHOUSE_TIMEOUT_SECONDS": "300",  # a 5,000-claim file is adjudicated while we wait
        }
        return _child(mode, folder, env)
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def _with_mailbox(mode: str, folder: Path) -> dict[str, Any]:
    """`mode` in a child process against an SFTP mailbox: a real sshd and `groupbill sandbox mailbox`."""
    from tests.sftp_server import own_folders, start_sshd, unavailable
    from tests.soak.sftp import MailboxProcess, sftp_connections

    if unavailable():
        raise SystemExit(f"--clearinghouse sftp: {unavailable()}")
    sshd = start_sshd(folder / "sshd")
    mailbox = own_folders(sshd.root / "bench")
    far = MailboxProcess(mailbox, folder / "sandbox", folder / "mailbox.log", {})
    try:
        connections = folder / "clearinghouses.yaml"
        connections.write_text(json.dumps(sftp_connections(sshd, mailbox.name, folder / "sandbox")))
        env = {"GROUPBILL_CLEARINGHOUSES_FILE": str(connections), "GROUPBILL_OUTPUT_DIR": str(folder / "out")}
        return _child(mode, folder, env)
    finally:
        far.stop()
        sshd.stop()


def _wait_port(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"the sandbox server did not start on port {port}")


if __name__ == "__main__":
    main()
