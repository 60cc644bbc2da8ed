"""The crash and fault soak: the daily run on a synthetic practice, killed (SIGKILL) at every step
boundary and in the middle of batches, against the sandbox HTTP server injecting 500s, timeouts and
dropped responses; re-run until done; every invariant checked after every run and printed as counts.

    python -m tests.soak.run [--rounds 20] [--seed 1] [--random-kills 3] [--clearinghouse http|sftp|stedi]

Over `sftp` the clearinghouse is a real sshd serving the sandbox's mailbox (`groupbill sandbox mailbox`),
killed also after the temporary upload, after the rename before recording, after a download before
applying and after the commit before the remote delete; the invariants add "the mailbox received each
interchange once" and "each outbound file applied once". Over `stedi` the sandbox server speaks Stedi's
contract (--profile stedi) with the same faults, reached through a `stedi` connection.

Each round is a fresh practice (seed + round): one run per crash point in pipeline order (each run
gets further than the last, so every point is reached), with kills at random moments in between,
then runs until one finishes with nothing left to send or collect. Exit 1 on any violation.
"""

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as day_time
from pathlib import Path
from typing import TYPE_CHECKING

from tasks.crash import VARIABLE
from tests.soak.invariants import Verdict, check
from tests.soak.sftp import SFTP_CRASH_POINTS, MailboxProcess, sftp_connections
from tests.soak.stedi import PROFILE as STEDI_PROFILE
from tests.soak.stedi import stedi_connections

if TYPE_CHECKING:
    from tests.sftp_server import SshServer

ROOT = Path(__file__).resolve().parents[2]
CRASH_POINTS = (
    "after:draft",
    "after:eligibility",
    "scrub:chunk",
    "after:scrub",
    "assemble:file-written",
    "after:assemble",
    "send:received-not-recorded",
    "send:between-batches",
    "after:send",
    "collect:page-applied",
    "after:collect",
)
FAULTS = ("--error-rate", "0.08", "--slow-rate", "0.04", "--slow-seconds", "1.5", "--drop-rate", "0.06")
MAX_FINISHING_RUNS = 12


@dataclass
class Tally:
    """Totals over the whole soak."""

    rounds: int = 0
    runs: int = 0
    kills: Counter[str] = field(default_factory=Counter)
    failed_runs: int = 0
    checks: int = 0
    violations: list[str] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)

    def line(self) -> str:
        """The summary the note reports."""
        return json.dumps(
            {
                "rounds": self.rounds,
                "runs": self.runs,
                "kills": sum(self.kills.values()),
                "kills_by_point": dict(sorted(self.kills.items())),
                "runs_failed_by_faults": self.failed_runs,
                "invariant_checks": self.checks,
                "violations": len(self.violations),
                **dict(sorted(self.counts.items())),
            }
        )


class Round:
    """One synthetic practice, its billing database and its sandbox server (or SFTP mailbox)."""

    def __init__(
        self,
        folder: Path,
        seed: int,
        today: date,
        billing_url: str | None = None,
        sshd: "SshServer | None" = None,
        stedi: bool = False,
    ) -> None:
        from tests.tasks.clearinghouse.conftest import API_KEY, Server

        self.folder, self.today = folder, today
        self.billing_url = billing_url or f"sqlite:///{folder / 'billing.db'}"
        self.sandbox = folder / "sandbox"
        _prepare(seed, today, self.billing_url, self.sandbox)
        clock = _clock_on(today)  # the round's processes (runs and sandbox server) all live on its day
        self.mailbox: Path | None = None
        if sshd is not None:
            self._over_sftp(sshd, clock)
            return
        profile = STEDI_PROFILE if stedi else ()
        self.server: Server | MailboxProcess = Server(
            self.sandbox, folder / "sandbox.log", "--seed", str(seed), *FAULTS, *profile, env=clock
        )
        self.env = {
            **os.environ,
            **clock,
            "PYTHONPATH": str(ROOT),
            "GROUPBILL_DATABASE_URL": self.billing_url,
            "GROUPBILL_CLEARINGHOUSE": "http",
            "GROUPBILL_CLEARINGHOUSE_URL": self.server.url,
            "GROUPBILL_CLEARINGHOUSE_API_KEY": API_KEY,
            "GROUPBILL_CLEARINGHOUSE_TIMEOUT_SECONDS": "1",
            "GROUPBILL_CLEARINGHOUSE_RATE_PER_SECOND": "200",
            "GROUPBILL_OUTPUT_DIR": str(folder / "out"),
        }
        if stedi:  # the same far side behind Stedi's contract, reached through a `stedi` connection
            self.env["GROUPBILL_CLEARINGHOUSES_FILE"] = str(stedi_connections(folder, self.server.url, API_KEY))

    def _over_sftp(self, sshd: "SshServer", clock: dict[str, str]) -> None:
        """The far side: a mailbox folder in the sshd's chroot, `groupbill sandbox mailbox` working it."""
        from tests.sftp_server import own_folders

        self.mailbox = own_folders(sshd.root / self.folder.name)
        self.server = MailboxProcess(self.mailbox, self.sandbox, self.folder / "mailbox.log", clock)
        connections = self.folder / "clearinghouses.yaml"
        connections.write_text(json.dumps(sftp_connections(sshd, self.mailbox.name, self.sandbox)))
        self.env = {
            **os.environ,
            **clock,
            "PYTHONPATH": str(ROOT),
            "GROUPBILL_DATABASE_URL": self.billing_url,
            "GROUPBILL_CLEARINGHOUSES_FILE": str(connections),
            "GROUPBILL_SANDBOX_DIR": str(self.sandbox),
            "GROUPBILL_OUTPUT_DIR": str(self.folder / "out"),
        }

    def run(self, crash_at: str | None = None, kill_after: float | None = None) -> tuple[int, dict[str, int]]:
        """One daily run in a child process; its exit code (-9: killed) and counts (when it finished)."""
        env = dict(self.env)
        if crash_at:
            env[VARIABLE] = crash_at
        cmd = [sys.executable, "-m", "tests.soak.driver", "--as-of", self.today.isoformat()]
        child = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.timer_killed = False
        if kill_after is not None:
            try:
                child.wait(timeout=kill_after)
            except subprocess.TimeoutExpired:
                child.send_signal(signal.SIGKILL)
                self.timer_killed = True
        out, err = child.communicate(timeout=600)
        if child.returncode not in (0, 3, -signal.SIGKILL):
            raise RuntimeError(f"the daily run crashed on its own (exit {child.returncode}):\n{err[-3000:]}")
        return child.returncode, json.loads(out.strip().splitlines()[-1]) if child.returncode == 0 else {}

    def verdict(self, *, completed: bool, quiet: bool = True) -> Verdict:
        """The invariants now (`quiet`: the run sent nothing the far side may still be answering)."""
        from tasks.runtime import engine_for

        engine, sandbox_db = engine_for(self.billing_url), self.sandbox / "state.db"
        return check(engine, sandbox_db, run_completed=completed, mailbox=self.mailbox, quiet=quiet)

    def close(self) -> None:
        """Stop the sandbox server."""
        self.server.stop()


def soak(
    folder: Path,
    rounds: int,
    seed: int,
    random_kills: int,
    *,
    billing_url: str | None = None,
    say: bool = True,
    clearinghouse: str = "http",
) -> Tally:
    """Run the soak (over the HTTP sandbox server, its Stedi profile, or an SFTP mailbox behind sshd); the tally."""
    from tests.sftp_server import start_sshd, unavailable

    tally = Tally()
    rng = random.Random(seed)
    if clearinghouse == "sftp" and unavailable():
        raise SystemExit(f"soak over sftp: {unavailable()}")
    sshd = start_sshd(folder / "sshd") if clearinghouse == "sftp" else None
    try:
        for number in range(rounds):
            url = billing_url if rounds == 1 else None
            _one_round(folder, number, seed, rng, random_kills, tally, url, sshd, clearinghouse == "stedi")
            if say:
                print(f"round {number}: {tally.line()}", flush=True)  # noqa: T201
    finally:
        if sshd is not None:
            sshd.stop()
    return tally


def _one_round(
    folder: Path,
    number: int,
    seed: int,
    rng: random.Random,
    random_kills: int,
    tally: Tally,
    billing_url: str | None,
    sshd: "SshServer | None",
    stedi: bool = False,
) -> None:
    day = date(2026, 11, 27) + timedelta(days=number)
    one = Round(folder / f"round-{number}", seed + number, day, billing_url, sshd, stedi)
    try:
        _soak_round(one, rng, random_kills, tally, SFTP_CRASH_POINTS if sshd else CRASH_POINTS)
    finally:
        one.close()
    tally.rounds += 1


def _soak_round(
    one: Round, rng: random.Random, random_kills: int, tally: Tally, points: tuple[str, ...] = CRASH_POINTS
) -> None:
    plan: list[tuple[str | None, float | None]] = [(p, None) for p in points]
    for _ in range(random_kills):
        plan.insert(rng.randrange(len(plan) + 1), (None, rng.uniform(1.5, 6.0)))
    covered: set[str] = set()
    for at, (crash_at, kill_after) in enumerate(plan):
        if crash_at in covered:
            continue  # a random kill's run already stopped here
        # A kill at a random moment also carries the next crash point: a run quicker than its timer (an SFTP
        # round's are) stops there, instead of finishing the day and leaving the later points nothing to do.
        point = crash_at or next((p for p, _ in plan[at + 1 :] if p), None)
        code, _ = one.run(point, kill_after)
        killed_at = "random" if one.timer_killed else point
        covered |= {killed_at} if code == -signal.SIGKILL and killed_at else set()
        _record(tally, one, code, killed_at, completed=False)
    for _ in range(MAX_FINISHING_RUNS):
        code, counts = one.run()
        _record(tally, one, code, None, completed=code == 0, quiet=_quiet(counts))
        if code == 0 and _quiet(counts):
            tally.counts.update(one.verdict(completed=True).counts)
            return
    tally.violations.append(f"{one.folder.name}: not finished after {MAX_FINISHING_RUNS} runs")


def _record(tally: Tally, one: Round, code: int, point: str | None, *, completed: bool, quiet: bool = True) -> None:
    tally.runs += 1
    if code == -signal.SIGKILL:
        tally.kills[point or "random"] += 1
    elif code == 3:
        tally.failed_runs += 1
    verdict = one.verdict(completed=completed, quiet=quiet)
    tally.checks += 1
    tally.violations += [f"{one.folder.name}: {v}" for v in verdict.violations]


def _quiet(counts: dict[str, int]) -> bool:
    """A run that had nothing left to do: nothing drafted, sent or collected."""
    busy = ("drafted", "batches_built", "batches_sent", "batches_already_received", "reports_reports")
    return all(not counts.get(key) for key in busy)


def _clock_on(day: date) -> dict[str, str]:
    """The environment that puts a process's clock at 07:00 on `day` where the practice is."""
    from config.settings import clock_environment, get_settings

    return clock_environment(datetime.combine(day, day_time(7), get_settings().timezone))


def _prepare(seed: int, today: date, url: str, sandbox: Path) -> None:
    """A synthetic practice imported into a new billing database, its roster given to the sandbox."""
    from models.db import session_scope
    from tasks.importing import import_bundle
    from tasks.runtime import engine_for
    from tasks.synthetic import generate_practice
    from tasks.synthetic.generate import install_roster

    practice = generate_practice(seed, today)
    install_roster(practice, sandbox)
    with session_scope(engine_for(url)) as session:
        import_bundle(session, practice.bundle)


def main() -> None:
    """Parse the arguments, soak, print the tally; exit 1 on any violation."""
    import tempfile

    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--random-kills", type=int, default=3)
    parser.add_argument("--clearinghouse", choices=("http", "sftp", "stedi"), default="http")
    args = parser.parse_args()
    # stopped with SIGTERM (kill, a CI timeout): unwind, so the sandbox server stops and the folder goes
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="groupbill-soak-") as tmp:
        tally = soak(Path(tmp), args.rounds, args.seed, args.random_kills, clearinghouse=args.clearinghouse)
    print(f"soak finished in {time.monotonic() - started:.0f} s: {tally.line()}")  # noqa: T201
    for violation in tally.violations[:50]:
        print(f"violation: {violation}")  # noqa: T201
    sys.exit(1 if tally.violations else 0)


if __name__ == "__main__":
    main()
