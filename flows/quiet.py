"""Keep Prefect's console output off the terminal while a command runs a flow."""

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
    handlers = [h for h in logging.getLogger().handlers if type(h).__name__ == "PrefectConsoleHandler"]
    for handler in handlers:
        handler.addFilter(silence)
    try:
        yield
    finally:
        for handler in handlers:
            handler.removeFilter(silence)
