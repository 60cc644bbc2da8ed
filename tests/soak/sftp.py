"""The soak's SFTP side: the crash points of an upload and a download, the far side's process, and the
connections file of a round whose clearinghouse is a mailbox behind a real sshd."""

import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.sftp_server import SshServer

ROOT = Path(__file__).resolve().parents[2]
SFTP_CRASH_POINTS = (
    "after:draft",
    "after:eligibility",
    "scrub:chunk",
    "after:scrub",
    "assemble:file-written",
    "after:assemble",
    "sftp:uploaded-temporary",
    "sftp:renamed-not-recorded",
    "send:received-not-recorded",
    "send:between-batches",
    "after:send",
    "sftp:downloaded",
    "collect:page-applied",
    "collect:committed-not-settled",
    "after:collect",
)


class MailboxProcess:
    """A running `groupbill sandbox mailbox` over one round's mailbox folder."""

    def __init__(self, root: Path, sandbox: Path, log: Path, env: dict[str, str]) -> None:
        self._log = log.open("w")
        cmd = [sys.executable, "-m", "flows.cli", "sandbox", "mailbox", "--root", str(root), "--folder", str(sandbox)]
        self.process = subprocess.Popen(
            [*cmd, "--poll-seconds", "0.2", "--log-level", "info"],
            cwd=ROOT,
            env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def stop(self) -> None:
        """Stop it."""
        self.process.terminate()
        self.process.wait(timeout=10)
        self._log.close()


def sftp_connections(sshd: "SshServer", name: str, sandbox: Path) -> dict[str, object]:
    """The connections file of an SFTP round (JSON is YAML): the mailbox is the default connection."""
    mailbox = {
        "kind": "sftp",
        "host": "127.0.0.1",
        "port": sshd.port,
        "user": "groupbill-sftp",
        "known_hosts": str(sshd.known_hosts()),
        "private_key_file": str(sshd.client_key),
        "inbound": f"{name}/inbound",
        "outbound": f"{name}/outbound",
        "archive": f"{name}/archive",
        "settle_seconds": 0.2,
        "backoff": 0.2,
        "eligibility": "payer-api",
    }
    return {"connections": {"default": mailbox, "payer-api": {"kind": "sandbox", "folder": str(sandbox)}}}
