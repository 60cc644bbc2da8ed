"""Keep Prefect's console output off the terminal while a command runs a flow."""

import atexit
import logging
from collections.abc import Iterator
from contextlib import contextmanager


class _Silence(logging.Filter):
    """Drops every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Never pass."""
        return False


@contextmanager
def prefect_console_quiet() -> Iterator[None]:
    """A failed run logs its traceback to the console; a command prints its own result or one line of
    error instead. The run's logs still reach the Prefect API. A filter, not a level: Prefect
    re-applies its logging configuration (levels included) at every run."""
    from prefect.logging.configuration import setup_logging

    setup_logging()
    silence = _Silence()
    handlers = _console_handlers()
    for handler in handlers:
        handler.addFilter(silence)
    try:
        yield
    finally:
        for handler in handlers:
            handler.removeFilter(silence)
        _quiet_at_exit()


def _console_handlers() -> list[logging.Handler]:
    return [h for h in logging.getLogger().handlers if type(h).__name__ == "PrefectConsoleHandler"]


_AT_EXIT: list[bool] = []


def _quiet_at_exit() -> None:
    """Prefect stops its temporary server when the process exits and logs that it did, after the command's
    own last line (an error, say). Registered after Prefect's own exit hook, this one runs first."""
    if not _AT_EXIT:
        _AT_EXIT.append(True)
        atexit.register(_silence_console)


def _silence_console() -> None:
    for handler in _console_handlers():
        handler.addFilter(_Silence())
