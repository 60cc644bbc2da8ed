"""The practice (billing provider), its payers and its rendering clinicians."""

from datetime import date

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from models.enums import Credential
from models.types import enum_type


class Practice(SQLModel, table=True):
    """The billing provider: 2010AA on every claim."""

    id: int | None = Field(default=None, primary_key=True)
    source_id: str = Field(unique=True, max_length=64)
    name: str = Field(max_length=120)
    npi: str = Field(max_length=15)
    ein: str | None = Field(default=None, max_length=9)
    taxonomy: str = Field(max_length=10)
    address_line1: str = Field(max_length=55)
    address_line2: str | None = Field(default=None, max_length=55)
    city: str = Field(max_length=30)
    state: str = Field(max_length=2)
    zip_code: str = Field(max_length=10)
    phone: str | None = Field(default=None, max_length=20)
    clearinghouse: str | None = Field(default=None, max_length=24)  # its connection's name; None: `default`


class Payer(SQLModel, table=True):
    """An insurer the practice bills, and the payer profile that holds its policy."""

    __table_args__ = (UniqueConstraint("practice_id", "source_id"),)

    id: int | None = Field(default=None, primary_key=True)
    practice_id: int = Field(foreign_key="practice.id", index=True)
    source_id: str = Field(max_length=64)
    name: str = Field(max_length=60)
    x12_payer_id: str = Field(max_length=80)
    claim_filing_indicator: str = Field(max_length=2)
    profile: str = Field(max_length=64)


class Provider(SQLModel, table=True):
    """A rendering clinician."""

    __table_args__ = (UniqueConstraint("practice_id", "source_id"),)

    id: int | None = Field(default=None, primary_key=True)
    practice_id: int = Field(foreign_key="practice.id", index=True)
    source_id: str = Field(max_length=64)
    first_name: str = Field(max_length=35)
    last_name: str = Field(max_length=60)
    npi: str = Field(max_length=15)
    credential: Credential = Field(sa_type=enum_type(Credential))
    taxonomy: str = Field(max_length=10)


class ProviderLicense(SQLModel, table=True):
    """A state licence of a clinician, valid between two dates."""

    __table_args__ = (UniqueConstraint("provider_id", "state", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    provider_id: int = Field(foreign_key="provider.id", index=True)
    state: str = Field(max_length=2)
    number: str = Field(max_length=40)
    valid_from: date
    valid_to: date | None = None


class PayerEnrollment(SQLModel, table=True):
    """A clinician's enrollment with a payer, valid between two dates."""

    __table_args__ = (UniqueConstraint("provider_id", "payer_id", "valid_from"),)

    id: int | None = Field(default=None, primary_key=True)
    provider_id: int = Field(foreign_key="provider.id", index=True)
    payer_id: int = Field(foreign_key="payer.id", index=True)
    valid_from: date
    valid_to: date | None = None
