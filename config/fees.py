"""The fee schedule (charge master) in config/fee_schedule.yaml, validated when loaded."""

from decimal import Decimal
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, field_validator

from models.errors import ConfigError

DEFAULT_FEE_SCHEDULE = Path(__file__).with_name("fee_schedule.yaml")
Cpt = Annotated[str, StringConstraints(pattern=r"^[0-9]{4}[0-9A-Z]$")]


class FeeSchedule(BaseModel):
    """Charge per unit for each billable CPT code."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    charges: dict[Cpt, Decimal] = Field(min_length=1)

    @field_validator("charges")
    @classmethod
    def _positive_cents(cls, charges: dict[str, Decimal]) -> dict[str, Decimal]:
        for code, amount in charges.items():
            if amount <= 0 or amount != amount.quantize(Decimal("0.01")):
                raise ValueError(f"charge for {code} must be positive with at most two decimals, got {amount}")
        return {code: amount.quantize(Decimal("0.01")) for code, amount in charges.items()}

    def charge(self, cpt_code: str) -> Decimal:
        """The charge for one unit of `cpt_code`; a code without a fee is a configuration error."""
        try:
            return self.charges[cpt_code]
        except KeyError:
            raise ConfigError(f"fee schedule: no charge for CPT {cpt_code}") from None


def load_fee_schedule(path: Path = DEFAULT_FEE_SCHEDULE) -> FeeSchedule:
    """Read and validate the fee schedule; one line per problem on failure."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read fee schedule: {exc}") from None
    try:
        return FeeSchedule.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(
            [f"{path}: {'.'.join(map(str, e['loc']))}: {e['msg'].removeprefix('Value error, ')}" for e in exc.errors()]
        ) from None
