"""What every `groupbill` command shares: the console, the billing database, and reading what the user
typed (record IDs, dates, statuses) into values or one-line errors."""

import sys
from datetime import date
from enum import StrEnum

from rich.console import Console
from sqlalchemy import Engine

from models.enums import ClaimStatus
from models.errors import InputError

out = Console() if sys.stdout.isatty() else Console(width=160)


class OutputFormat(StrEnum):
    """How a listing is printed."""

    TABLE = "table"
    JSON = "json"


def engine() -> Engine:
    """The billing database from settings, with its schema in place."""
    from config.settings import get_settings
    from tasks.runtime import engine_for

    return engine_for(get_settings().database_url)


def practice_today() -> date:
    """Today in the practice's time zone."""
    from config.settings import get_settings

    return get_settings().today()


def record_id(value: str, what: str) -> int:
    """A record ID typed on the command line (a positive whole number), or one line saying it is not."""
    text = value.strip()
    if not text.isascii() or not text.isdigit() or len(text) > 18 or int(text) == 0:
        shown = value if len(value) <= 40 else value[:40] + "..."
        raise InputError(f"{what} ID {shown!r}: not a record ID (a positive whole number)")
    return int(text)


def parse_date(value: str | None, option: str) -> date | None:
    """A YYYY-MM-DD option, or one line saying it is not a date."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{option}: {value[:40]!r} is not a date (YYYY-MM-DD)") from None


def parse_claim_status(value: str | None) -> ClaimStatus | None:
    """A claim status option, or one line listing the statuses there are."""
    if value is None:
        return None
    try:
        return ClaimStatus(value)
    except ValueError:
        raise InputError(
            f"--status: unknown status {value[:40]!r} (one of {', '.join(s.value for s in ClaimStatus)})"
        ) from None
