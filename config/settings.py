"""Settings from GROUPBILL_* environment variables (or a .env file), validated at start-up."""

import os
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from models.clock import now_in, set_clock_shift, shift_to, today_in
from models.errors import ConfigError

CLOCK_SHIFT_VARIABLE = "GROUPBILL_CLOCK_SHIFT"
PLACEHOLDER_SECRETS = frozenset(
    {"", "changeme", "changethis", "change-me", "placeholder", "secret", "xxx", "your-api-key", "todo"}
)


class ClearinghouseKind(StrEnum):
    """Which clearinghouse implementation talks to payers."""

    SANDBOX = "sandbox"
    HTTP = "http"


class Settings(BaseSettings):
    """Everything that differs between a laptop demo and production."""

    model_config = SettingsConfigDict(env_prefix="GROUPBILL_", env_file=".env", env_ignore_empty=True, extra="ignore")

    database_url: str = "sqlite:///./.groupbill/groupbill.db"
    clearinghouse: ClearinghouseKind = ClearinghouseKind.SANDBOX
    clearinghouse_url: str = "http://127.0.0.1:8787"
    clearinghouse_api_key: SecretStr = SecretStr("")
    clearinghouse_api_key_block: str | None = None
    clearinghouse_rate_per_second: float = 5.0
    clearinghouse_timeout_seconds: float = Field(30.0, gt=0)  # waiting for an answer (connecting: 3 s)
    submitter_id: str = "GROUPBILL"
    clearinghouse_receiver_id: str = "SANDBOX"
    clearinghouses_file: Path | None = None  # named connections per practice (config/clearinghouses.py)
    sandbox_dir: Path = Path("./.groupbill/sandbox")
    output_dir: Path = Path("./.groupbill/out")
    payers_dir: Path | None = None  # the practice's own payer profiles; default: the shipped config/payers
    practice_timezone: str = "America/New_York"
    clock_shift: timedelta = timedelta(0)  # the clock's distance from the system clock (see models/clock.py)

    @field_validator("practice_timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @model_validator(mode="after")
    def _real_key_for_http(self) -> "Settings":
        key = self.clearinghouse_api_key.get_secret_value().strip().lower()
        if self.clearinghouse is ClearinghouseKind.HTTP and key in PLACEHOLDER_SECRETS:
            if not self.clearinghouse_api_key_block:
                raise ValueError(
                    "GROUPBILL_CLEARINGHOUSE_API_KEY must be a real key (or GROUPBILL_CLEARINGHOUSE_API_KEY_BLOCK "
                    "name a Prefect Secret block) when GROUPBILL_CLEARINGHOUSE=http"
                )
        return self

    @property
    def timezone(self) -> ZoneInfo:
        """The practice's time zone, for schedules and 'today'."""
        return ZoneInfo(self.practice_timezone)

    def now(self) -> datetime:
        """The current time where the practice is (the one clock, models/clock.py)."""
        return now_in(self.timezone)

    def today(self) -> date:
        """Today's date where the practice is (the one clock, models/clock.py)."""
        return today_in(self.timezone)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings, read once (and the clock shifted as they say); ConfigError: one line per problem."""
    try:
        settings = Settings()
    except ValidationError as exc:
        raise ConfigError([_settings_error_line(e["loc"], e["msg"]) for e in exc.errors()]) from exc
    set_clock_shift(settings.clock_shift)  # every process of a run reads the same clock
    return settings


def _settings_error_line(loc: tuple[int | str, ...], msg: str) -> str:
    name = "GROUPBILL_" + "_".join(map(str, loc)).upper() if loc else "GROUPBILL_*"
    return f"settings: {name}: {msg.removeprefix('Value error, ')}"


def clock_environment(moment: datetime) -> dict[str, str]:
    """The environment that makes a process's clock read the aware `moment` now (its children inherit it)."""
    return {CLOCK_SHIFT_VARIABLE: iso_duration(shift_to(moment))}


def iso_duration(shift: timedelta) -> str:
    """`shift` as an ISO 8601 duration in seconds, e.g. -PT3600.000000S (what GROUPBILL_CLOCK_SHIFT takes)."""
    seconds = shift.total_seconds()
    return f"{'-' if seconds < 0 else ''}PT{abs(seconds):.6f}S"


def move_clock_to(moment: datetime) -> None:
    """Make the clock read the aware `moment` now, in this process and in the processes it starts."""
    shift = shift_to(moment)
    os.environ[CLOCK_SHIFT_VARIABLE] = iso_duration(shift)
    set_clock_shift(shift)
    get_settings.cache_clear()  # the next settings read the same shift from the environment
