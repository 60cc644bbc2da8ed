"""`groupbill clearinghouse check` against the real sshd: one line per check, exit 1 on any failure."""

from pathlib import Path

import pytest
import yaml

from tests.tasks.clearinghouse.conftest import SftpUnderTest


def _settings(box: SftpUnderTest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **changes: object) -> None:
    from config.settings import get_settings

    values = box.connection(**changes).model_dump(mode="json")
    path = tmp_path / "clearinghouses.yaml"
    path.write_text(yaml.safe_dump({"connections": {"default": {k: v for k, v in values.items() if v is not None}}}))
    monkeypatch.setenv("GROUPBILL_CLEARINGHOUSES_FILE", str(path))
    get_settings.cache_clear()


def test_every_check_passes_on_a_working_mailbox(cli, sshd, tmp_path: Path, monkeypatch) -> None:
    box = SftpUnderTest(sshd, tmp_path)
    _settings(box, tmp_path, monkeypatch)
    code, out, err = cli("clearinghouse", "check")
    lines = out.splitlines()
    assert code == 0 and err == "" and len(lines) == 4
    assert [line.split(":")[1].strip() for line in lines] == [
        "host key",
        "authentication",
        "inbound folder",
        "outbound folder",
    ]
    assert all(line.startswith("ok    default: ") for line in lines)


def test_a_changed_host_key_is_one_failed_line_and_exit_1(cli, sshd, tmp_path: Path, monkeypatch) -> None:
    from tests.sftp_server import keygen

    box = SftpUnderTest(sshd, tmp_path)
    other = " ".join(keygen(tmp_path / "impostor").split()[:2])
    _settings(box, tmp_path, monkeypatch, known_hosts=str(sshd.known_hosts(line=other)))
    code, out, _ = cli("clearinghouse", "check")
    assert code == 1 and out.startswith("FAIL  default: host key: ") and len(out.splitlines()) == 1


def test_a_missing_outbound_folder_fails_that_check_only(cli, sshd, tmp_path: Path, monkeypatch) -> None:
    box = SftpUnderTest(sshd, tmp_path)
    _settings(box, tmp_path, monkeypatch, outbound=f"{box.name}/gone")
    code, out, _ = cli("clearinghouse", "check")
    assert code == 1 and [line[:4] for line in out.splitlines()] == ["ok  ", "ok  ", "ok  ", "FAIL"]
    assert "gone: No such file" in out


def test_an_unknown_practice_is_bad_input(cli) -> None:
    code, _, err = cli("clearinghouse", "check", "--practice", "NOPE")
    assert code == 2 and err.strip() == "error: --practice: no practice 'NOPE' (bundle ID or record ID)"
