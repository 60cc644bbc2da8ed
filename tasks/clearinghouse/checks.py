"""`groupbill clearinghouse check`: connect with a connection and say, one line per check, what works."""

from dataclasses import dataclass

from models.errors import (
    ClearinghouseAuthFailed,
    ClearinghouseError,
    ClearinghouseMisconfigured,
    ClearinghouseUnavailable,
)
from tasks.clearinghouse.protocol import Clearinghouse

PROBE_CONTROL = "000000000"  # never assigned: asking about it reads nothing and changes nothing


@dataclass(frozen=True, slots=True)
class Check:
    """One line: which connection, which check, passed or not, and what was found."""

    connection: str
    name: str
    passed: bool
    said: str

    def line(self) -> str:
        """The printed line."""
        return f"{'ok  ' if self.passed else 'FAIL'}  {self.connection}: {self.name}: {self.said}"


def check_connection(name: str, clearinghouse: Clearinghouse) -> list[Check]:
    """Every check of one connection: a mailbox's host key, login and folders, or an API's answer."""
    own = getattr(clearinghouse, "check", None)
    try:
        if own is not None:
            return [Check(name, what, passed, said) for what, passed, said in own()]
        clearinghouse.was_received(PROBE_CONTROL)
        return [Check(name, "api", True, f"{type(clearinghouse).__name__} answered (credentials accepted)")]
    except ClearinghouseError as exc:
        return [Check(name, _failed_check(exc), False, str(exc))]


def _failed_check(exc: ClearinghouseError) -> str:
    if isinstance(exc, ClearinghouseAuthFailed):
        return "authentication"
    if isinstance(exc, ClearinghouseMisconfigured) and "host key" in str(exc):
        return "host key"
    if isinstance(exc, ClearinghouseUnavailable):
        return "connection"
    return "configuration"
