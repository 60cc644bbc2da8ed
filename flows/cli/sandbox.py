"""`groupbill sandbox serve`: the sandbox payer simulator on loopback, behind groupbill's REST profile or
(--profile stedi) Stedi's published contract."""

import asyncio
import logging
import socket
from pathlib import Path
from typing import Any

import typer

from models.errors import ConfigError

sandbox_app = typer.Typer(help="Run the sandbox clearinghouse.", no_args_is_help=True)


@sandbox_app.command("serve")
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on (keep it on loopback)."),
    port: int = typer.Option(8787, help="Port to listen on."),
    folder: Path | None = typer.Option(None, help="Sandbox folder (roster.json, state.db); default from settings."),
    api_key: str | None = typer.Option(None, envvar="GROUPBILL_SANDBOX_API_KEY", help="Key clients must send."),
    error_rate: float = typer.Option(0.0, help="Share of requests answered 500."),
    rate_limit_rate: float = typer.Option(0.0, help="Share of requests answered 429 with Retry-After."),
    slow_rate: float = typer.Option(0.0, help="Share of requests answered after --slow-seconds."),
    slow_seconds: float = typer.Option(5.0, help="Delay of a slow answer."),
    drop_rate: float = typer.Option(0.0, help="Share of requests handled, then dropped before the answer."),
    refuse_seconds: float = typer.Option(0.0, help="Refuse connections for this long after start-up."),
    seed: int = typer.Option(1, help="Seed of the fault draws."),
    log_level: str = typer.Option("warning", help="Server log level (debug, info, warning)."),
    profile: str = typer.Option("rest", help="rest (groupbill's /v1/ calls) or stedi (Stedi's paths and bodies)."),
    lag_seconds: float = typer.Option(0.0, help="stedi: polled transactions show this long after (Stedi: 15)."),
) -> None:
    """Serve the sandbox until interrupted; faults can be changed at run time via POST /admin/faults."""
    from config.settings import get_settings
    from tasks.clearinghouse.sandbox.faults import Faults, FaultSettings
    from tasks.clearinghouse.sandbox.server import create_app
    from tasks.clearinghouse.sandbox.simulator import SandboxClearinghouse

    settings = get_settings()
    key = _usable_key(api_key or settings.clearinghouse_api_key.get_secret_value(), host)
    faults = Faults(
        FaultSettings(
            error_rate=error_rate,
            rate_limit_rate=rate_limit_rate,
            slow_rate=slow_rate,
            slow_seconds=slow_seconds,
            drop_rate=drop_rate,
            refuse_seconds=refuse_seconds,
            seed=seed,
        )
    )
    if profile not in ("rest", "stedi"):
        raise ConfigError(f"sandbox serve: --profile {profile[:10]!r} must be rest or stedi")
    where = folder or settings.sandbox_dir
    sandbox = SandboxClearinghouse.from_folder(where, settings.timezone)
    typer.echo(f"sandbox clearinghouse ({profile}) on http://{host}:{port} (folder {where})")
    logging.basicConfig(level=log_level.upper(), format="%(levelname)s %(name)s %(message)s")
    stedi = profile == "stedi"
    app = _stedi_app(sandbox, where, key, faults, lag_seconds) if stedi else create_app(sandbox, key, faults)
    asyncio.run(_serve(app, host, port, faults, log_level))


def _stedi_app(sandbox: Any, folder: Path, key: str, faults: Any, lag: float) -> Any:
    """The Stedi-contract app over the sandbox, its own store beside the sandbox's."""
    from tasks.clearinghouse.sandbox.stedi_server import create_stedi_app
    from tasks.clearinghouse.sandbox.stedi_store import StediStore

    return create_stedi_app(sandbox, StediStore(folder / "stedi.db"), key, faults, lag)


@sandbox_app.command("mailbox")
def mailbox(
    root: Path = typer.Option(..., help="The mailbox: inbound/, outbound/ and archive/ folders (made if missing)."),
    folder: Path | None = typer.Option(None, help="Sandbox folder (roster.json, state.db); default from settings."),
    receiver_id: str = typer.Option("SANDBOX", help="The mailbox's receiver ID: ISA08 of files it accepts."),
    mode: str = typer.Option("T", help="T (test) or P (production): ISA15 of files it accepts."),
    poll_seconds: float = typer.Option(0.5, help="How often the inbound folder is looked at."),
    once: bool = typer.Option(False, help="One pass, then exit."),
    log_level: str = typer.Option("warning", help="Log level (debug, info, warning)."),
) -> None:
    """The sandbox payer simulator over a folder pair: 837Ps in, TA1/999/277CA/835 out (serve it with sshd)."""
    import time

    from config.settings import get_settings
    from tasks.clearinghouse.sandbox.mailbox import Mailbox, MailboxConfig
    from tasks.clearinghouse.sandbox.simulator import SandboxClearinghouse

    if mode not in ("T", "P"):
        raise ConfigError(f"sandbox mailbox: --mode {mode[:10]!r} must be T or P")
    settings = get_settings()
    sandbox = SandboxClearinghouse.from_folder(folder or settings.sandbox_dir, settings.timezone)
    logging.basicConfig(level=log_level.upper(), format="%(levelname)s %(name)s %(message)s")
    box = Mailbox(MailboxConfig(root, receiver_id, mode), sandbox)
    typer.echo(f"sandbox mailbox at {root} (receiver {receiver_id}, mode {mode})")
    while True:
        box.run_once()
        if once:
            return
        time.sleep(poll_seconds)


MIN_KEY_OFF_LOOPBACK = 24


def _usable_key(key: str, host: str) -> str:
    """The key clients must send: never a placeholder the client itself refuses, and off loopback a long
    one (with a loud warning: the sandbox is for tests, and anything reaching it sees synthetic claims)."""
    from config.settings import PLACEHOLDER_SECRETS

    if not key:
        raise ConfigError("sandbox serve: set --api-key or GROUPBILL_SANDBOX_API_KEY (clients must send it)")
    if key.strip().lower() in PLACEHOLDER_SECRETS:
        raise ConfigError(f"sandbox serve: --api-key {key!r} is a placeholder; choose a real key")
    if not _loopback(host):
        if len(key) < MIN_KEY_OFF_LOOPBACK:
            raise ConfigError(
                f"sandbox serve: --host {host} is reachable from other machines: the key must have at least "
                f"{MIN_KEY_OFF_LOOPBACK} characters (it has {len(key)})"
            )
        typer.echo(f"WARNING: the sandbox listens on {host}, beyond this machine; keep it off the internet", err=True)
    return key


def _loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


async def _serve(app: Any, host: str, port: int, faults: Any, log_level: str) -> None:
    """uvicorn on a private loopback port, behind the front door on the public one."""
    import uvicorn

    from tasks.clearinghouse.sandbox.front import Front

    backend = socket.socket()
    backend.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level=log_level, access_log=False))
    front = Front(host, port, backend.getsockname()[1], faults.refusing, lambda: server.should_exit)
    await asyncio.gather(server.serve(sockets=[backend]), front.run())
