"""Clearinghouse connections as data (GROUPBILL_CLEARINGHOUSES_FILE, YAML), validated when loaded.

A billing service serves practices on different clearinghouses: each connection is named, and each
practice names its own (bundle `practice.clearinghouse`). Practices that name none use `default`, the
connection today's settings describe (GROUPBILL_CLEARINGHOUSE and friends), unless the file defines one
called `default` itself. Secrets are never in the file: a Prefect Secret block name or the path of an
owner-only (0600) file.

    connections:
      acme-mailbox:
        kind: sftp
        host: sftp.example-clearinghouse.com
        user: groupbill
        known_hosts: /etc/groupbill/known_hosts
        private_key_file: /etc/groupbill/keys/acme      # 0600, or private_key_block: NAME
        inbound: /to-clearinghouse
        outbound: /from-clearinghouse
        receiver_id: STEDITEST
        usage: T
        eligibility: acme-api                          # who answers 270s (a mailbox has no real time)
      acme-api:
        kind: stedi                                    # raw X12 inside JSON (README: Stedi in test mode)
        api_key_block: stedi-test-key                  # or api_key_file: /etc/groupbill/keys/stedi (0600)
        receiver_id: STEDITEST                         # STEDI with usage: P
        usage: T
"""

import os
import stat
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator

from models.errors import ConfigError

DEFAULT_CONNECTION = "default"
ConnectionName = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,23}$")]
X12Id = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9 ]{1,15}$")]


class ConnectionKind(StrEnum):
    """How groupbill talks to a clearinghouse."""

    SANDBOX = "sandbox"
    HTTP = "http"
    SFTP = "sftp"
    STEDI = "stedi"


class AfterDownload(StrEnum):
    """What happens to a report file on the server once it is applied and committed."""

    DELETE = "delete"
    ARCHIVE = "archive"
    LEAVE = "leave"


class Strict(BaseModel):
    """Connections refuse unknown keys: a typo is an error, not a silent default."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Connection(Strict):
    """What every kind has: who we are to the clearinghouse and who it is (ISA06/ISA08), test or production."""

    kind: ConnectionKind
    submitter_id: X12Id = "GROUPBILL"
    receiver_id: X12Id = "SANDBOX"
    usage: Literal["T", "P"] = "T"  # ISA15: test and production mailboxes differ
    eligibility: ConnectionName | None = None  # the connection that answers 270s, when not this one


class SettingsConnection(Connection):
    """The connection today's settings describe (GROUPBILL_CLEARINGHOUSE, _URL, _API_KEY, ...): `default`."""

    kind: Literal[ConnectionKind.SANDBOX, ConnectionKind.HTTP]


class SandboxConnection(Connection):
    """The in-process payer simulator."""

    kind: Literal[ConnectionKind.SANDBOX] = ConnectionKind.SANDBOX
    folder: Path | None = None  # default: GROUPBILL_SANDBOX_DIR


class HttpConnection(Connection):
    """groupbill's REST profile (the sandbox server speaks it)."""

    kind: Literal[ConnectionKind.HTTP] = ConnectionKind.HTTP
    url: str
    api_key_file: Path | None = None
    api_key_block: str | None = None
    rate_per_second: float = Field(5.0, gt=0)
    timeout: float = Field(30.0, gt=0)

    @model_validator(mode="after")
    def _one_key(self) -> "HttpConnection":
        if (self.api_key_file is None) == (self.api_key_block is None):
            raise ValueError("give exactly one of api_key_file (a 0600 file) or api_key_block (a Prefect Secret)")
        return self


class SftpConnection(Connection):
    """An SFTP mailbox: upload 837P files to `inbound`, download TA1/999/277CA/835 from `outbound`."""

    kind: Literal[ConnectionKind.SFTP] = ConnectionKind.SFTP
    host: Annotated[str, StringConstraints(min_length=1, max_length=253)]
    port: int = Field(22, ge=1, le=65535)
    user: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    known_hosts: Path  # the server's host key line(s): an unknown or changed key is refused
    private_key_file: Path | None = None
    private_key_block: str | None = None
    password_file: Path | None = None  # only where the vendor insists on a password
    password_block: str | None = None
    inbound: str = "inbound"
    outbound: str = "outbound"
    archive: str | None = None  # where the far side moves files it took, and where reports go with ARCHIVE
    after_download: AfterDownload = AfterDownload.DELETE
    connect_timeout: float = Field(10.0, gt=0)
    timeout: float = Field(30.0, gt=0)  # one operation (a read, a write, a listing)
    keepalive: int = Field(15, ge=0)  # seconds between SSH keep-alives (0: none)
    attempts: int = Field(4, ge=1, le=10)
    backoff: float = Field(1.0, ge=0)
    max_connections: int = Field(2, ge=1, le=16)  # at once to this host, per process
    settle_seconds: float = Field(1.0, ge=0)  # a report whose size changes over this long is still being written

    @model_validator(mode="after")
    def _credentials(self) -> "SftpConnection":
        secrets = ("private_key_file", "private_key_block", "password_file", "password_block")
        if not any(getattr(self, f) for f in secrets):
            raise ValueError("give private_key_file or private_key_block (a password only if the vendor insists)")
        if self.after_download is AfterDownload.ARCHIVE and not self.archive:
            raise ValueError("after_download: archive needs an archive folder")
        return self


STEDI_TEST_RECEIVER, STEDI_RECEIVER = "STEDITEST", "STEDI"
HttpsUrl = Annotated[str, StringConstraints(pattern=r"^https?://[^\s/]+(/[^\s]*)?$")]


class StediConnection(Connection):
    """Stedi's HTTPS API: raw X12 inside JSON, an Idempotency-Key per claim submission, polled responses.

    Only the base URLs tell production from the local `groupbill sandbox serve --profile stedi`."""

    kind: Literal[ConnectionKind.STEDI] = ConnectionKind.STEDI
    receiver_id: X12Id = STEDI_TEST_RECEIVER
    healthcare_url: HttpsUrl = "https://healthcare.us.stedi.com/2024-04-01"
    core_url: HttpsUrl = "https://core.us.stedi.com/2023-08-01"
    api_key_file: Path | None = None
    api_key_block: str | None = None
    claims_per_request: int = Field(1, ge=1, le=5000)  # claims in one interchange (Stedi's raw X12 call: one)
    connect_timeout: float = Field(5.0, gt=0)
    timeout: float = Field(60.0, gt=0)  # a real-time 270 waits on the payer
    attempts: int = Field(4, ge=1, le=10)
    backoff: float = Field(0.5, ge=0)
    rate_per_second: float = Field(5.0, gt=0)
    page_size: int = Field(100, ge=1, le=1000)
    first_poll_hours: float = Field(24.0, gt=0)  # how far back the very first poll looks (startDateTime)
    idempotency_hours: float = Field(23.0, gt=0, le=24)  # how long a resent key surely returns the first answer

    @model_validator(mode="after")
    def _key_and_mode(self) -> "StediConnection":
        if (self.api_key_file is None) == (self.api_key_block is None):
            raise ValueError("give exactly one of api_key_file (a 0600 file) or api_key_block (a Prefect Secret)")
        if self.usage == "P" and self.receiver_id.strip() == STEDI_TEST_RECEIVER:
            raise ValueError("usage P (production) with receiver_id STEDITEST: Stedi refuses it (TA1 020); use STEDI")
        if self.usage == "T" and self.receiver_id.strip() == STEDI_RECEIVER:
            raise ValueError("usage T (test) with receiver_id STEDI: test interchanges go to STEDITEST")
        return self


AnyConnection = Annotated[
    SandboxConnection | HttpConnection | SftpConnection | StediConnection, Field(discriminator="kind")
]


class ConnectionsFile(Strict):
    """The whole file."""

    connections: dict[ConnectionName, AnyConnection] = Field(default_factory=dict)


def load_connections(path: Path | None, default: Connection) -> dict[str, Connection]:
    """Every connection in `path` (none: only `default`), checked; one line per problem naming file,
    connection and field."""
    found: dict[str, Connection] = {DEFAULT_CONNECTION: default}
    if path is None:
        return found
    data = _read(path)
    try:
        parsed = ConnectionsFile.model_validate(data)
    except ValidationError as exc:
        raise ConfigError([_line(path, e["loc"], e["msg"]) for e in exc.errors()]) from None
    found.update(parsed.connections)
    problems = [p for name, c in found.items() for p in _references(path, name, c, found)]
    problems += [p for name, c in parsed.connections.items() for p in secret_file_problems(path, name, c)]
    if problems:
        raise ConfigError(problems)
    return found


def _references(path: Path, name: str, connection: Connection, known: dict[str, Connection]) -> list[str]:
    other = connection.eligibility
    if other is None:
        return []
    if other not in known:
        return [f"{path}: connections.{name}.eligibility: no connection named {other!r}"]
    if isinstance(known[other], SftpConnection):
        return [f"{path}: connections.{name}.eligibility: {other!r} is an SFTP mailbox (no real-time eligibility)"]
    return []


def secret_file_problems(path: Path, name: str, connection: Connection) -> list[str]:
    """A secret file that is missing or that others can read (group or world bits) is refused."""
    problems = []
    for field in ("private_key_file", "password_file", "api_key_file"):
        secret = getattr(connection, field, None)
        if secret is None:
            continue
        where = f"{path}: connections.{name}.{field}"
        try:
            mode = os.stat(secret).st_mode
        except OSError as exc:
            problems.append(f"{where}: cannot read {secret}: {exc.strerror}")
            continue
        if stat.S_IMODE(mode) & 0o077:
            problems.append(f"{where}: {secret} is readable by others (mode {stat.S_IMODE(mode):o}); chmod 600 it")
    known_hosts = getattr(connection, "known_hosts", None)
    if known_hosts is not None and not Path(known_hosts).is_file():
        problems.append(f"{path}: connections.{name}.known_hosts: no such file {known_hosts}")
    return problems


def _read(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read the clearinghouse connections: {' '.join(str(exc).split())}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: must be a mapping with `connections:`")
    return data


def _line(path: Path, loc: tuple[Any, ...], msg: str) -> str:
    parts = [str(p) for p in loc]
    if len(parts) > 2 and parts[0] == "connections" and parts[2] in {k.value for k in ConnectionKind}:
        del parts[2]  # the union's tag, not a field
    return f"{path}: {'.'.join(parts) or '(top level)'}: {msg.removeprefix('Value error, ')}"
