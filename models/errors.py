"""The one error tree of groupbill.

Business outcomes (ineligible, on hold, denied) are values in the database, never exceptions.
Exceptions are for broken input, broken infrastructure and programming errors::

    GroupbillError
    ├── InputError                 bad input from a file or the command line (exit 2)
    │   ├── BundleError            an import bundle that does not validate (one line per problem)
    │   ├── ConfigError            settings or payer profiles that do not validate
    │   └── X12ParseError          X12 text that cannot be read (names the segment and the reason)
    ├── LifecycleError             a claim status change that cannot be made
    │   ├── IllegalTransition      the move is not in the lifecycle (a programming error)
    │   └── StatusConflict         another writer changed the claim first (reload and re-decide)
    └── InfrastructureError        the database or an outside system is broken (exit 1)
        ├── OutputNotWritable      a file cannot be written where it must go (permissions, space, not a folder)
        └── ClearinghouseError     the clearinghouse could not be used
            ├── ClearinghouseUnavailable   transient: timeouts, dropped connections, 429, 5xx (retry)
            ├── ClearinghouseRejected      permanent: the request itself is wrong (do not retry)
            │   └── ClaimsRefused          the clearinghouse's edits refused the claims (codes and words)
            ├── ClearinghouseAuthFailed    our credentials were refused (fix the configuration)
            ├── ClearinghouseMisconfigured the connection does not fit the server: host key, folders, rights
            ├── ClearinghouseNotRouted     asked of every connection at once, not one (a programming error)
            └── ControlNumberReused        the clearinghouse holds this control number with other content
"""

from pathlib import PurePath


class GroupbillError(Exception):
    """Root of every error groupbill raises on purpose."""


class InputError(GroupbillError):
    """Bad input: a file, a record or an argument that cannot be used as it is."""

    def __init__(self, lines: list[str] | str) -> None:
        self.lines = [lines] if isinstance(lines, str) else list(lines)
        super().__init__("\n".join(self.lines))


class BundleError(InputError):
    """An import bundle that does not validate; `lines` holds one line per problem."""


class ConfigError(InputError):
    """Settings or payer configuration that do not validate."""


class X12ParseError(InputError):
    """X12 text that cannot be read: truncated, bad envelope, wrong delimiters, unexpected segments."""

    def __init__(self, reason: str, *, segment: int | None = None, source: str = "<x12>") -> None:
        reason = reason.replace("\r", "\\r").replace("\n", "\\n")  # one line, always
        self.reason, self.segment, self.source = reason, segment, source
        where = f"segment {segment}: " if segment is not None else ""
        super().__init__(f"{source}: {where}{reason}")

    def located(self, source: str) -> "X12ParseError":
        """The same error, naming the file it came from."""
        return X12ParseError(self.reason, segment=self.segment, source=source)


class LifecycleError(GroupbillError):
    """A claim status change that cannot be made."""


class IllegalTransition(LifecycleError):
    """The requested status move is not allowed by the lifecycle."""


class StatusConflict(LifecycleError):
    """Another writer changed the claim's status between our read and our write."""

    def __init__(self, claim_id: int, expected: str, actual: str | None) -> None:
        self.claim_id, self.expected, self.actual = claim_id, expected, actual
        super().__init__(f"claim {claim_id}: expected status {expected!r}, found {actual!r}")


class InfrastructureError(GroupbillError):
    """The database or an outside system is broken or unreachable."""


class OutputNotWritable(InfrastructureError):
    """A file cannot be written to its folder; nothing that depends on the file happened."""

    def __init__(self, path: PurePath, reason: str, *, hint: str = "") -> None:
        self.path, self.reason, self.hint = path, reason, hint
        super().__init__(f"{path.parent}: cannot write {path.name} there: {reason}" + (f" ({hint})" if hint else ""))


class ClearinghouseError(InfrastructureError):
    """The clearinghouse could not be used."""


class ClearinghouseUnavailable(ClearinghouseError):
    """A transient failure: worth retrying later (timeouts, dropped connections, 429, 5xx)."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ClearinghouseRejected(ClearinghouseError):
    """A permanent failure: the request is wrong and retrying it changes nothing."""


class ClaimsRefused(ClearinghouseRejected):
    """The clearinghouse's edits refused the claims it was sent: `codes` for the work queue, words in the message."""

    def __init__(self, message: str, *, codes: tuple[str, ...]) -> None:
        super().__init__(message)
        self.codes = codes


class ClearinghouseAuthFailed(ClearinghouseError):
    """The clearinghouse refused our credentials."""


class ClearinghouseMisconfigured(ClearinghouseError):
    """The connection's settings do not fit the server (an unknown or changed host key, a folder missing or
    not ours to write): retrying changes nothing, and nothing was sent; fix the configuration."""


class ClearinghouseNotRouted(ClearinghouseError):
    """A step used the routing of all connections as one clearinghouse instead of routing to the practice's or
    the batch's connection (a programming error: it would send through whichever connection came first)."""


class ControlNumberReused(ClearinghouseError):
    """The connection already holds this interchange control number with other content than the batch's (a
    database restored or replaced while the mailbox or its upload record stayed): nothing was sent or recorded."""


class SubmissionFileMissing(InfrastructureError):
    """An assembled batch's 837P file is gone from the output folder, or is no longer the file assembled
    (restore it; nothing was sent)."""
