"""Clearinghouse connections file: checked when loaded, one line per problem naming file, connection and
field; secrets only as owner-only files or Secret block names."""

from pathlib import Path

import pytest
import yaml

from config.clearinghouses import DEFAULT_CONNECTION, SettingsConnection, SftpConnection, load_connections
from models.errors import ConfigError

DEFAULT = SettingsConnection(kind="sandbox")


def _file(tmp_path: Path, **connections: dict[str, object]) -> Path:
    path = tmp_path / "clearinghouses.yaml"
    path.write_text(yaml.safe_dump({"connections": connections}))
    return path


def _sftp(tmp_path: Path, **changes: object) -> dict[str, object]:
    key, known = tmp_path / "key", tmp_path / "known_hosts"
    key.write_text("-----BEGIN OPENSSH PRIVATE KEY-----\n")
    key.chmod(0o600)
    known.write_text("[sftp.example.com]:22 ssh-ed25519 AAAA\n")
    values: dict[str, object] = {
        "kind": "sftp",
        "host": "sftp.example.com",
        "user": "groupbill",
        "known_hosts": str(known),
        "private_key_file": str(key),
        "inbound": "to-stedi",
        "outbound": "from-stedi",
        "receiver_id": "STEDITEST",
    }
    return {k: v for k, v in (values | changes).items() if v is not None}


def test_no_file_means_only_the_default_connection_from_settings() -> None:
    assert load_connections(None, DEFAULT) == {DEFAULT_CONNECTION: DEFAULT}


def test_named_connections_load_beside_the_default(tmp_path: Path) -> None:
    found = load_connections(_file(tmp_path, acme=_sftp(tmp_path), api={"kind": "sandbox"}), DEFAULT)
    assert set(found) == {"default", "acme", "api"}
    acme = found["acme"]
    assert isinstance(acme, SftpConnection) and acme.usage == "T" and acme.after_download.value == "delete"


@pytest.mark.parametrize(
    ("changes", "said"),
    [
        ({"hostt": "x"}, "connections.acme.hostt: Extra inputs are not permitted"),
        ({"host": None}, "connections.acme.host: Field required"),
        ({"usage": "X"}, "connections.acme.usage: Input should be 'T' or 'P'"),
        ({"private_key_file": None}, "connections.acme: give private_key_file or private_key_block"),
        ({"after_download": "archive"}, "connections.acme: after_download: archive needs an archive folder"),
        ({"eligibility": "nowhere"}, "connections.acme.eligibility: no connection named 'nowhere'"),
        ({"eligibility": "acme"}, "connections.acme.eligibility: 'acme' is an SFTP mailbox"),
    ],
)
def test_each_problem_is_one_line_naming_file_connection_and_field(
    tmp_path: Path, changes: dict[str, object], said: str
) -> None:
    path = _file(tmp_path, acme=_sftp(tmp_path, **changes))
    with pytest.raises(ConfigError) as failed:
        load_connections(path, DEFAULT)
    assert any(line.startswith(f"{path}: ") and said in line for line in failed.value.lines), failed.value.lines


def test_a_key_file_others_can_read_is_refused(tmp_path: Path) -> None:
    path = _file(tmp_path, acme=_sftp(tmp_path))
    (tmp_path / "key").chmod(0o644)
    with pytest.raises(ConfigError) as failed:
        load_connections(path, DEFAULT)
    assert failed.value.lines == [
        f"{path}: connections.acme.private_key_file: {tmp_path / 'key'} is readable by others (mode 644); chmod 600 it"
    ]


def test_a_missing_known_hosts_file_is_refused(tmp_path: Path) -> None:
    path = _file(tmp_path, acme=_sftp(tmp_path, known_hosts=str(tmp_path / "nope")))
    with pytest.raises(ConfigError, match="known_hosts: no such file"):
        load_connections(path, DEFAULT)


def test_a_secret_block_name_needs_no_file(tmp_path: Path) -> None:
    path = _file(tmp_path, acme=_sftp(tmp_path, private_key_file=None, private_key_block="acme-sftp-key"))
    assert load_connections(path, DEFAULT)["acme"].private_key_block == "acme-sftp-key"  # type: ignore[union-attr]


def test_a_file_that_is_not_a_mapping_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "clearinghouses.yaml"
    path.write_text("- just a list\n")
    with pytest.raises(ConfigError, match="must be a mapping"):
        load_connections(path, DEFAULT)
