"""Named crash points for the soak test: `GROUPBILL_CRASH_AT=<name>` makes this process SIGKILL itself
the first time it reaches that point (no exception, no cleanup, no commit: a real crash).

Unset, a crash point costs one environment lookup. Names in use: `after:<step>` at each step boundary
of the daily pipeline (draft, eligibility, scrub, assemble, send, collect) and the mid-batch points
`scrub:chunk`, `assemble:file-written`, `send:received-not-recorded`, `send:between-batches`,
`collect:page-applied`, `collect:committed-not-settled`; over an SFTP mailbox also `sftp:uploaded-temporary`,
`sftp:renamed-not-recorded` and `sftp:downloaded`.
"""

import os
import signal

VARIABLE = "GROUPBILL_CRASH_AT"


def crash_point(name: str) -> None:
    """Kill this process here, now, if the soak test asked for a crash at `name`."""
    if os.environ.get(VARIABLE) == name:
        os.kill(os.getpid(), signal.SIGKILL)
