"""Patient data stays out of Prefect: run the demo pipeline against a real server, then search the whole
Prefect database (flow and task runs, parameters, logs, artifacts, events) for every patient name,
birth date and member ID of the synthetic practice."""

import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tasks.synthetic import SyntheticPractice
from tests.integration.conftest import PrefectServer

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]


def _patient_values(practice: SyntheticPractice) -> set[str]:
    found: set[str] = set()
    for p in practice.bundle.patients:
        found |= {p.first_name, p.last_name, p.birth_date.isoformat(), p.birth_date.strftime("%Y%m%d")}
        for c in p.coverages:
            found |= {c.member_id} if c.member_id else set()
            if c.subscriber is not None:
                s = c.subscriber
                found |= {v for v in (s.first_name, s.last_name) if v}
                if s.birth_date:
                    found |= {s.birth_date.isoformat(), s.birth_date.strftime("%Y%m%d")}
    return found


def _dump(database: Path) -> str:
    with sqlite3.connect(database) as db:
        return "\n".join(db.iterdump())


def _hits(text: str, values: set[str]) -> list[str]:
    """Values found as whole words, as written or upper-cased (names reach X12 upper-cased)."""
    return sorted(
        v for v in values for form in {v, v.upper()} if re.search(rf"(?<![\w-]){re.escape(form)}(?![\w-])", text)
    )


def test_the_demo_pipeline_leaves_no_patient_data_in_prefect(
    prefect_server: PrefectServer, tmp_path: Path, practice: SyntheticPractice
) -> None:
    database = f"sqlite:///{tmp_path / 'billing.db'}"
    env = {**prefect_server.env, "PREFECT_LOGGING_LEVEL": "DEBUG", "GROUPBILL_DATABASE_URL": database}
    demo = subprocess.run(
        [sys.executable, "-m", "flows.cli", "demo", "--today", "2026-11-27", "--folder", str(tmp_path / "demo")],
        cwd=tmp_path,
        env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert demo.returncode == 0, demo.stderr[-3000:]
    assert len(prefect_server.call("POST", "/flow_runs/filter", json={})) >= 3
    time.sleep(8)  # the server writes events and logs in the background
    text = _dump(prefect_server.home / "prefect.db")
    assert "daily-claims-2026-11-27" in text and "log" in text.lower()
    values = _patient_values(practice)
    assert len(values) > 100
    someone = practice.bundle.patients[0]
    assert _hits(f"x {someone.last_name.upper()} y", values)  # the search would see a leak
    assert _hits(text, values) == []
