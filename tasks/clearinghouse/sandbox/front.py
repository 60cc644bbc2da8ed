"""The sandbox server's front door: a TCP relay on the public port that can refuse connections.

An ASGI app cannot refuse a TCP connection, so the sandbox listens here and relays to uvicorn on a
private loopback port. While the 'refuse' fault is on, the listening socket is closed (clients get
ECONNREFUSED, as from a server that is down); when it ends, the socket is opened again.
"""

import asyncio
import contextlib
from collections.abc import Callable


class Front:
    """Relays host:port to 127.0.0.1:backend_port, closing the listener while `refusing()`."""

    def __init__(
        self, host: str, port: int, backend_port: int, refusing: Callable[[], bool], stopped: Callable[[], bool]
    ) -> None:
        self.host, self.port, self.backend_port = host, port, backend_port
        self.refusing, self.stopped = refusing, stopped
        self.listener: asyncio.Server | None = None

    async def run(self) -> None:
        """Open and close the listener as the fault says, until the server stops."""
        while not self.stopped():
            if self.refusing() and self.listener is not None:
                self.listener.close()
                self.listener = None
            elif not self.refusing() and self.listener is None:
                self.listener = await asyncio.start_server(self._relay, self.host, self.port, reuse_address=True)
            await asyncio.sleep(0.05)
        if self.listener is not None:
            self.listener.close()

    async def _relay(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        try:
            backend_reader, backend_writer = await asyncio.open_connection("127.0.0.1", self.backend_port)
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(_pipe(client_reader, backend_writer), _pipe(backend_reader, client_writer))


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while chunk := await reader.read(65536):
            writer.write(chunk)
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        with contextlib.suppress(ConnectionError, RuntimeError):
            writer.close()
