"""Open a named connection: the sandbox, the HTTP client, an SFTP mailbox or Stedi, with its secrets read
from an owner-only file or a Prefect Secret block (the caller hands in how to read a block)."""

import os
import stat
from collections.abc import Callable
from pathlib import Path

from config.clearinghouses import (
    Connection,
    HttpConnection,
    SandboxConnection,
    SettingsConnection,
    SftpConnection,
    StediConnection,
)
from config.settings import Settings
from models.errors import ConfigError
from tasks.clearinghouse.protocol import Clearinghouse

SecretReader = Callable[[str], str]  # a Prefect Secret block's value, by block name


def settings_connection(settings: Settings) -> SettingsConnection:
    """The `default` connection: what GROUPBILL_CLEARINGHOUSE and its companions describe."""
    try:
        return SettingsConnection(
            kind=settings.clearinghouse.value,
            submitter_id=settings.submitter_id,
            receiver_id=settings.clearinghouse_receiver_id,
        )
    except ValueError as exc:
        raise ConfigError(f"settings: GROUPBILL_SUBMITTER_ID or GROUPBILL_CLEARINGHOUSE_RECEIVER_ID: {exc}") from None


def open_connection(
    name: str,
    connection: Connection,
    settings: Settings,
    read_block: SecretReader,
    opened: Callable[[str], Clearinghouse],
) -> Clearinghouse:
    """The clearinghouse behind one connection (`opened` gives another connection by name: eligibility)."""
    if isinstance(connection, SettingsConnection):
        from tasks.clearinghouse import open_clearinghouse

        return open_clearinghouse(settings)
    if isinstance(connection, SandboxConnection):
        from tasks.clearinghouse.sandbox.simulator import SandboxClearinghouse

        return SandboxClearinghouse.from_folder(connection.folder or settings.sandbox_dir, settings.timezone)
    if isinstance(connection, HttpConnection):
        from tasks.clearinghouse.http_client import HttpClearinghouse

        key = secret(name, "api_key", connection.api_key_file, connection.api_key_block, read_block) or ""
        return HttpClearinghouse(
            connection.url, key, rate_per_second=connection.rate_per_second, read_timeout=connection.timeout
        )
    if isinstance(connection, SftpConnection):
        return _sftp(name, connection, settings, read_block, opened)
    if isinstance(connection, StediConnection):
        from tasks.clearinghouse.stedi.client import StediClearinghouse

        key = secret(name, "api_key", connection.api_key_file, connection.api_key_block, read_block) or ""
        return StediClearinghouse(connection, key.strip(), settings.output_dir / "stedi" / name)
    raise ConfigError(f"connection {name!r}: kind {connection.kind!r} cannot be opened")  # pragma: no cover


def _sftp(
    name: str,
    connection: SftpConnection,
    settings: Settings,
    read_block: SecretReader,
    opened: Callable[[str], Clearinghouse],
) -> Clearinghouse:
    from tasks.clearinghouse.sftp.mailbox import SftpClearinghouse
    from tasks.clearinghouse.sftp.transport import Credentials

    credentials = Credentials(
        secret(name, "private_key", connection.private_key_file, connection.private_key_block, read_block),
        secret(name, "password", connection.password_file, connection.password_block, read_block),
    )
    eligibility = opened(connection.eligibility) if connection.eligibility else None
    return SftpClearinghouse(connection, credentials, settings.output_dir / "sftp" / name, eligibility=eligibility)


def secret(name: str, what: str, path: Path | None, block: str | None, read_block: SecretReader) -> str | None:
    """A secret from an owner-only file or a Secret block; a file others can read is refused, unread."""
    if block:
        return read_block(block)
    if path is None:
        return None
    where = f"connection {name!r}: {what}_file {path}"
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
        if mode & 0o077:
            raise ConfigError(f"{where} is readable by others (mode {mode:o}); chmod 600 it")
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{where}: cannot read it ({exc.strerror})") from None
