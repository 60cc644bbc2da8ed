"""A real OpenSSH server for the SFTP tests: `sshd -D -f <temp config>` on a free loopback port, with a
generated host key, a generated client key, `internal-sftp` and a chrooted test user, serving a mailbox
folder (inbound/, outbound/, archive/). Started the way PostgreSQL is: `.ci/run` installs Debian's
openssh-server; without it, or without root (a chroot needs a root-owned directory and sshd needs root
to log in another user), the tests that need it skip and say why.

Also a TCP relay that cuts the connection after N bytes (a network failing mid-upload)."""

import fcntl
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

SSHD = Path("/usr/sbin/sshd")
USER = "groupbill-sftp"
CHROOTS = Path("/run/groupbill-sftp")  # every component root-owned and not group/world-writable, as sshd demands


def unavailable() -> str | None:
    """Why a real sshd cannot be started here, or None."""
    if not SSHD.exists():
        return f"{SSHD} is not installed (.ci/run installs Debian's openssh-server)"
    if os.geteuid() != 0:
        return "sshd needs root to serve a chrooted test user (CI runs as root)"
    if shutil.which("ssh-keygen") is None:
        return "ssh-keygen is not installed"
    return None


def free_port() -> int:
    """A loopback port nobody listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def keygen(path: Path) -> str:
    """A new Ed25519 key pair at `path` (0600) and `path`.pub; the public key line."""
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(path)], check=True)
    return path.with_suffix(".pub").read_text().strip()


def ensure_user() -> tuple[int, int]:
    """The test user (a system account, no home, no shell, not locked); its uid and gid. Several test
    processes may ask at once (xdist workers on a fresh machine): they take turns."""
    CHROOTS.mkdir(mode=0o755, exist_ok=True)
    with (CHROOTS.parent / "groupbill-sftp.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            entry = pwd.getpwnam(USER)
        except KeyError:
            shell = "/usr/sbin/nologin"
            subprocess.run(["useradd", "--system", "--no-create-home", "--shell", shell, USER], check=True)
            entry = pwd.getpwnam(USER)
        if _locked(USER):  # '!' (a locked account) is refused by sshd without PAM; '*' is no password at all
            subprocess.run(["usermod", "-p", "*", USER], check=True)
    return entry.pw_uid, entry.pw_gid


def _locked(user: str) -> bool:
    for line in Path("/etc/shadow").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name == user:
            return rest.startswith("!")
    return False


def own_folders(root: Path, owner: tuple[int, int] | None = None) -> Path:
    """`root` with inbound/, outbound/ and archive/ belonging to the test user (0700), `root` itself too."""
    uid, gid = owner or ensure_user()
    for folder in (root, root / "inbound", root / "outbound", root / "archive"):
        folder.mkdir(mode=0o700, exist_ok=True)
        os.chown(folder, uid, gid)
    return root


def mailbox_root() -> Path:
    """A new chroot for the test user: root-owned 0755, its folders owned by the user (0700)."""
    CHROOTS.mkdir(mode=0o755, exist_ok=True)
    CHROOTS.chmod(0o755)  # explicitly: a test may have set an owner-only umask in this process
    root = CHROOTS / secrets.token_hex(6)
    root.mkdir()
    root.chmod(0o755)
    uid, gid = ensure_user()
    for name in ("inbound", "outbound", "archive"):
        folder = root / name
        folder.mkdir(mode=0o700)
        os.chown(folder, uid, gid)
    return root


@dataclass
class SshServer:
    """A running sshd serving `root` to USER; client credentials and known_hosts under `home`."""

    root: Path
    home: Path
    port: int
    process: subprocess.Popen[bytes]
    client_key: Path
    host_key_line: str

    def known_hosts(self, port: int | None = None, line: str | None = None) -> Path:
        """A known_hosts file naming this server's key (at `port`, e.g. a relay's)."""
        path = self.home / f"known_hosts-{port or self.port}-{secrets.token_hex(3)}"
        path.write_text(f"[127.0.0.1]:{port or self.port} {line or self.host_key_line}\n")
        return path

    def stop(self) -> None:
        """Stop sshd and remove the chroot."""
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.root, ignore_errors=True)
        shutil.rmtree(self.root.with_name(self.root.name + ".keys"), ignore_errors=True)


def start_sshd(home: Path, root: Path | None = None) -> SshServer:
    """sshd -D on a free loopback port, serving `root` (a new mailbox chroot if None) to the test user."""
    home.mkdir(parents=True, exist_ok=True)
    root = root or mailbox_root()
    host_line = keygen(home / "host_key")
    client_public = keygen(home / "client_key")
    keys = root.with_name(root.name + ".keys")  # sshd reads it as the user: outside the private home
    keys.mkdir(exist_ok=True)
    keys.chmod(0o755)
    (keys / USER).write_text(client_public + "\n")
    (keys / USER).chmod(0o644)
    Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # privilege separation directory
    port = free_port()
    config = home / "sshd_config"
    config.write_text(_config(home, root, port))
    with (home / "sshd.log").open("w") as log:  # the child keeps its own descriptor
        process = subprocess.Popen([str(SSHD), "-D", "-e", "-f", str(config)], stdout=log, stderr=subprocess.STDOUT)
    server = SshServer(root, home, port, process, home / "client_key", " ".join(host_line.split()[:2]))
    _wait_listening(port, process, home / "sshd.log")
    return server


def _config(home: Path, root: Path, port: int) -> str:
    return f"""Port {port}
ListenAddress 127.0.0.1
HostKey {home / "host_key"}
PidFile {home / "sshd.pid"}
AuthorizedKeysFile {root.with_name(root.name + ".keys")}/%u
AllowUsers {USER}
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin no
UsePAM no
StrictModes no
LogLevel VERBOSE
Subsystem sftp internal-sftp
Match User {USER}
    ChrootDirectory {root}
    ForceCommand internal-sftp
    AllowTcpForwarding no
    X11Forwarding no
"""


def _wait_listening(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"sshd exited ({process.returncode}): {log.read_text()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"sshd did not listen on {port}: {log.read_text()[-2000:]}")


class CuttingRelay:
    """127.0.0.1:port relays to a backend port; after `cut_after` bytes from the client in one connection,
    both sides are closed (a connection lost mid-upload). `cut_after` None relays everything."""

    def __init__(self, backend_port: int, cut_after: int | None = None) -> None:
        self.backend_port, self.cut_after = backend_port, cut_after
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.listener.getsockname()[1])
        self.cuts = 0
        self._stopped = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._stopped:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        backend = socket.create_connection(("127.0.0.1", self.backend_port))
        limit = self.cut_after
        self.cut_after = None  # one connection is cut; the next one (the retry) gets through
        done = threading.Event()

        def pump(src: socket.socket, dst: socket.socket, budget: int | None) -> None:
            sent = 0
            try:
                while chunk := src.recv(65536):
                    if budget is not None and sent + len(chunk) > budget:
                        dst.sendall(chunk[: budget - sent])
                        self.cuts += 1
                        break
                    dst.sendall(chunk)
                    sent += len(chunk)
            except OSError:
                pass
            done.set()

        threading.Thread(target=pump, args=(backend, client, None), daemon=True).start()
        pump(client, backend, limit)
        done.wait(5)
        for sock in (client, backend):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()

    def close(self) -> None:
        """Stop accepting."""
        self._stopped = True
        self.listener.close()


@pytest.fixture(scope="session")
def sshd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SshServer]:
    """A real OpenSSH server for the session (skipped, saying why, where it cannot run)."""
    reason = unavailable()
    if reason:
        pytest.skip(reason)
    server = start_sshd(tmp_path_factory.mktemp("sshd"))
    yield server
    server.stop()
