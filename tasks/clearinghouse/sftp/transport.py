"""One SSH connection to an SFTP mailbox, opened with paramiko and translated into groupbill's errors.

Why paramiko: groupbill's pipeline is synchronous (Prefect tasks in threads, SQLAlchemy sessions), and
paramiko is a synchronous, pure-Python SSH client with SFTP, known_hosts handling and keep-alives built
in; asyncssh would need an event loop per call and brings nothing the mailbox needs.

- The host key is checked against the connection's own known_hosts file only (never ~/.ssh or the
  system's): an unknown or changed key is refused (RejectPolicy), never added.
- Key authentication; a password only when the connection gives one (some vendors insist).
- Timeouts on connecting, on the SSH handshake and authentication, and on every SFTP operation; a
  keep-alive every `keepalive` seconds.
- Transient failures (refused or reset connections, timeouts, a connection cut mid-transfer) are retried
  with exponential backoff and jitter; authentication, host keys, missing folders and permissions are not.
- At most `max_connections` connections to one host at once in this process.
"""

import errno
import logging
import random
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from io import StringIO
from typing import TypeVar

import paramiko

from config.clearinghouses import SftpConnection
from models.errors import (
    ClearinghouseAuthFailed,
    ClearinghouseError,
    ClearinghouseMisconfigured,
    ClearinghouseUnavailable,
)

log = logging.getLogger("groupbill.clearinghouse.sftp")
T = TypeVar("T")
_HOST_SLOTS: dict[str, threading.BoundedSemaphore] = {}
_SLOTS_LOCK = threading.Lock()
_KEY_TYPES: tuple[type[paramiko.PKey], ...] = (paramiko.Ed25519Key, paramiko.ECDSAKey, paramiko.RSAKey)


@dataclass(frozen=True, slots=True)
class Credentials:
    """What proves who we are: a private key (its text), a password, or both (read by the caller)."""

    private_key: str | None = None
    password: str | None = None

    def __repr__(self) -> str:
        return "Credentials(***)"


def host_slot(host: str, port: int, limit: int) -> threading.BoundedSemaphore:
    """The semaphore bounding this process's connections to one host."""
    with _SLOTS_LOCK:
        return _HOST_SLOTS.setdefault(f"{host}:{port}:{limit}", threading.BoundedSemaphore(limit))


def parse_key(text: str) -> paramiko.PKey:
    """A private key from its OpenSSH/PEM text (Ed25519, ECDSA or RSA)."""
    for kind in _KEY_TYPES:
        try:
            return kind.from_private_key(StringIO(text))
        except (paramiko.SSHException, ValueError):
            continue
    raise ClearinghouseMisconfigured("the private key cannot be read (Ed25519, ECDSA or RSA, without a passphrase)")


class Transport:
    """Opens SFTP sessions to one mailbox; `call` runs an operation with retries on transient failures."""

    def __init__(
        self,
        connection: SftpConnection,
        credentials: Credentials,
        *,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self.connection, self.credentials = connection, credentials
        self.sleep, self.rng = sleep, rng or random.Random()
        self.where = f"{connection.user}@{connection.host}:{connection.port}"

    def call(self, what: str, operation: Callable[[paramiko.SFTPClient], T]) -> T:
        """Run `operation` on a fresh SFTP session; transient failures retried, each failure one clear line."""
        attempts = self.connection.attempts
        for attempt in range(1, attempts + 1):
            try:
                with self.session() as sftp:
                    return operation(sftp)
            except ClearinghouseUnavailable as exc:
                log.warning("sftp %s %s failed (attempt %d of %d): %s", what, self.where, attempt, attempts, exc)
                if attempt == attempts:
                    raise ClearinghouseUnavailable(f"{exc} ({what}; {attempts} tries)") from None
                self.sleep(self._backoff(attempt))
        raise AssertionError("unreachable")  # pragma: no cover

    def _backoff(self, attempt: int) -> float:
        delay: float = min(30.0, self.connection.backoff * 2 ** (attempt - 1))
        return delay * (0.5 + self.rng.random())

    @contextmanager
    def session(self) -> Iterator[paramiko.SFTPClient]:
        """One SSH connection and SFTP session (closed afterwards); failures as groupbill's errors."""
        c = self.connection
        with host_slot(c.host, c.port, c.max_connections):
            client = paramiko.SSHClient()
            try:
                self._connect(client)
                sftp = client.open_sftp()
                channel = sftp.get_channel()
                if channel is not None:
                    channel.settimeout(c.timeout)
                yield sftp
            except ClearinghouseError:
                raise
            except Exception as exc:  # paramiko and the socket layer raise many kinds: translated here
                raise translate(exc, self.where) from None
            finally:
                client.close()

    def _connect(self, client: paramiko.SSHClient) -> None:
        c = self.connection
        client.load_host_keys(str(c.known_hosts))  # only this file: never ~/.ssh, never written back
        client.set_missing_host_key_policy(paramiko.RejectPolicy())
        client.connect(
            c.host,
            port=c.port,
            username=c.user,
            pkey=parse_key(self.credentials.private_key) if self.credentials.private_key else None,
            password=self.credentials.password,
            timeout=c.connect_timeout,
            banner_timeout=c.connect_timeout,
            auth_timeout=c.connect_timeout,
            channel_timeout=c.timeout,
            allow_agent=False,
            look_for_keys=False,
        )
        transport = client.get_transport()
        if transport is not None and c.keepalive:
            transport.set_keepalive(c.keepalive)


def translate(exc: Exception, where: str) -> ClearinghouseError:
    """A paramiko or socket failure as one of ours: configuration, credentials, or transient."""
    if isinstance(exc, paramiko.BadHostKeyException):
        return ClearinghouseMisconfigured(
            f"sftp {where}: the server's host key does not match known_hosts (changed, or someone in between): refused"
        )
    if isinstance(exc, paramiko.AuthenticationException):
        return ClearinghouseAuthFailed(f"sftp {where}: authentication failed (the key or password was refused)")
    if isinstance(exc, paramiko.SSHException) and "not found in known_hosts" in str(exc):
        return ClearinghouseMisconfigured(f"sftp {where}: the server's host key is not in known_hosts: refused")
    if isinstance(exc, FileNotFoundError | PermissionError) or (
        isinstance(exc, OSError) and exc.errno in (errno.ENOENT, errno.EACCES, errno.EPERM)
    ):
        return ClearinghouseMisconfigured(f"sftp {where}: {exc.strerror or exc}")
    if isinstance(exc, socket.timeout | TimeoutError):
        return ClearinghouseUnavailable(f"sftp {where}: timed out")
    if isinstance(exc, ConnectionRefusedError | paramiko.ssh_exception.NoValidConnectionsError):
        return ClearinghouseUnavailable(f"sftp {where}: connection refused")
    if isinstance(exc, paramiko.SSHException | EOFError | OSError | socket.error):
        return ClearinghouseUnavailable(f"sftp {where}: connection failed ({type(exc).__name__}: {_short(exc)})")
    return ClearinghouseUnavailable(f"sftp {where}: {type(exc).__name__}")


def _short(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    return text[:120] or "no detail"
