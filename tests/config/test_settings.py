"""Settings and the fee schedule: validated at start-up, one line per problem."""

from decimal import Decimal
from pathlib import Path

import pytest

from config.fees import load_fee_schedule
from config.settings import ClearinghouseKind, Settings, get_settings
from models.errors import ConfigError


@pytest.fixture(autouse=True)
def fresh_settings(monkeypatch):
    for name in ("DATABASE_URL", "CLEARINGHOUSE", "CLEARINGHOUSE_API_KEY", "PRACTICE_TIMEZONE", "OUTPUT_DIR"):
        monkeypatch.delenv(f"GROUPBILL_{name}", raising=False)
    monkeypatch.chdir(Path(__file__).parent)  # no stray .env
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_defaults_are_the_embedded_setup() -> None:
    settings = get_settings()
    assert settings.database_url.startswith("sqlite:///")
    assert settings.clearinghouse is ClearinghouseKind.SANDBOX
    assert settings.timezone.key == "America/New_York"
    assert get_settings() is settings


def test_environment_overrides(monkeypatch) -> None:
    monkeypatch.setenv("GROUPBILL_DATABASE_URL", "postgresql+psycopg://u@localhost/gb")
    monkeypatch.setenv("GROUPBILL_PRACTICE_TIMEZONE", "America/Chicago")
    settings = get_settings()
    assert settings.database_url == "postgresql+psycopg://u@localhost/gb"
    assert settings.practice_timezone == "America/Chicago"


@pytest.mark.parametrize("key", ["", "changeme", "placeholder", "  CHANGETHIS "])
def test_http_clearinghouse_refuses_a_placeholder_key(monkeypatch, key: str) -> None:
    monkeypatch.setenv("GROUPBILL_CLEARINGHOUSE", "http")
    monkeypatch.setenv("GROUPBILL_CLEARINGHOUSE_API_KEY", key)
    with pytest.raises(ConfigError) as err:
        get_settings()
    assert err.value.lines == [
        "settings: GROUPBILL_*: GROUPBILL_CLEARINGHOUSE_API_KEY must be a real key (or "
        "GROUPBILL_CLEARINGHOUSE_API_KEY_BLOCK name a Prefect Secret block) when GROUPBILL_CLEARINGHOUSE=http"
    ]
    monkeypatch.setenv("GROUPBILL_CLEARINGHOUSE_API_KEY_BLOCK", "clearinghouse-api-key")
    get_settings.cache_clear()
    assert get_settings().clearinghouse_api_key_block == "clearinghouse-api-key"


def test_http_with_a_real_key_is_fine_and_the_key_stays_secret(monkeypatch) -> None:
    monkeypatch.setenv("GROUPBILL_CLEARINGHOUSE", "http")
    monkeypatch.setenv("GROUPBILL_CLEARINGHOUSE_API_KEY", "sk-live-4f9a")
    settings = get_settings()
    assert "sk-live" not in repr(settings)
    assert settings.clearinghouse_api_key.get_secret_value() == "sk-live-4f9a"


def test_bad_values_name_the_variable(monkeypatch) -> None:
    monkeypatch.setenv("GROUPBILL_PRACTICE_TIMEZONE", "Mars/Olympus")
    monkeypatch.setenv("GROUPBILL_CLEARINGHOUSE", "fax")
    with pytest.raises(ConfigError) as err:
        get_settings()
    assert sorted(line.split(":")[1].strip() for line in err.value.lines) == [
        "GROUPBILL_CLEARINGHOUSE",
        "GROUPBILL_PRACTICE_TIMEZONE",
    ]


def test_settings_class_reads_env_prefix() -> None:
    assert Settings.model_config["env_prefix"] == "GROUPBILL_"


def test_shipped_fee_schedule_loads() -> None:
    fees = load_fee_schedule()
    assert fees.charge("90853") == Decimal("75.00")
    with pytest.raises(ConfigError):
        fees.charge("99999")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("charges: {'90853': '75.005'}", "at most two decimals"),
        ("charges: {'9085': '75.00'}", "charges.9085"),
        ("charges: {}", "charges"),
        ("charges: [oops", "cannot read fee schedule"),
    ],
)
def test_broken_fee_schedules_are_refused(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "fees.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as err:
        load_fee_schedule(path)
    assert expected in err.value.lines[0]
    assert err.value.lines[0].startswith(str(path))
