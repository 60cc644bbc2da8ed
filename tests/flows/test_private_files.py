"""What `groupbill demo` leaves on disk, run as a user with a loose umask would run it: every file
owner-only in owner-only folders, Prefect's home under .groupbill/ (never ~/.prefect), nothing sent home."""

import os
import stat
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_demo_leaves_only_owner_only_files_and_no_prefect_home_elsewhere(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PREFECT_", "GROUPBILL_")) or k == "GROUPBILL_CLOCK_SHIFT"
    }
    env |= {"HOME": str(home), "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "flows.cli", "demo"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        preexec_fn=lambda: os.umask(0o022),  # noqa: PLW1509 (the umask of a careless shell)
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    state = tmp_path / ".groupbill"
    assert (state / "prefect").is_dir() and (state / "groupbill.db").is_file()
    loose = [
        f"{p.relative_to(tmp_path)} {oct(stat.S_IMODE(p.lstat().st_mode))}"
        for p in [state, *state.rglob("*")]
        if not p.is_symlink() and stat.S_IMODE(p.lstat().st_mode) != (0o700 if p.is_dir() else 0o600)
    ]
    assert loose == []
    assert not (home / ".prefect").exists()
    assert "telemetry" not in (done.stdout + done.stderr).lower()
