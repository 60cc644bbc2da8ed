"""The benchmarks still run the whole pipeline and still measure (tiny N; the numbers come from `make bench`)."""

import json
import subprocess
import sys
from pathlib import Path

from tests.databases import POSTGRES

ROOT = Path(__file__).resolve().parents[1]


def _json_line(module: str, *args: str) -> dict:
    """Run a benchmark module; its last JSON line."""
    done = subprocess.run(
        [sys.executable, "-m", module, *args], cwd=ROOT, capture_output=True, text=True, timeout=240, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def test_the_pipeline_benchmark_takes_every_claim_to_payment() -> None:
    database = ["--postgres", POSTGRES] if POSTGRES else []
    result = _json_line("benchmarks.pipeline_bench", "--claims", "40", "--skip-prefect", "--floor", *database)
    assert result["claims"] == result["paid"] == 40
    assert result["database"] == ("postgresql" if POSTGRES else "sqlite")
    assert result["claims_per_s"] > 0 and result["peak_rss_mb"] > 0
    stages = ("draft", "eligibility", "scrub", "assemble", "send", "collect")
    assert all(result["stages_s"][stage] >= 0 and result["stages_s"][f"{stage}_peak_rss_mb"] > 0 for stage in stages)
    if not POSTGRES:  # the floor replays the run's rows (and checks it wrote the same ones) on SQLite only
        floor = result["write_floor"]
        assert floor["claims"] == 40 and floor["rows"] > 40 * 6 and floor["status_steps"] == 6
        assert floor["raw_s"] > 0 and floor["core_s"] > 0
    else:
        assert result["write_floor"] is None


def test_the_micro_benchmarks_still_measure() -> None:
    x12 = _json_line("benchmarks.x12_bench", "--claims", "300", "--repeat", "1")
    assert x12["write_837p_claims_per_s"] > 0 and x12["read_835_claim_payments_per_s"] > 0
    scrub = _json_line("benchmarks.scrub_bench", "--claims", "300", "--repeat", "1")
    assert scrub["scrub_claims_per_s"] > 0 and scrub["db_scrub_claims_per_s"] > 0
