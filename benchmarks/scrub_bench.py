"""Benchmark of the scrubber in batch: payer coding, the 837P structural check and all rules.

    python -m benchmarks.scrub_bench [--claims 20000] [--repeat 3]

Builds the synthetic practice in a temporary SQLite database, verifies coverage with the sandbox,
loads the claim contexts, replicates them to --claims, and times the scrub of the whole batch in
memory (chunks of 500, as the scrubber runs them). Also times the end-to-end database scrub of the
practice itself (load, scrub, record findings, move statuses). Target: >= 5,000 claims/s in batch.
"""

import argparse
import copy
import json
import tempfile
import time
from pathlib import Path

from benchmarks import TODAY, pin_clock
from config.fees import load_fee_schedule
from config.settings import get_settings
from models.db import create_schema, make_engine, session_scope
from tasks.claims.drafting import draft_claims
from tasks.clearinghouse.sandbox.simulator import SandboxClearinghouse
from tasks.eligibility.check import claim_coverage_dates, run_checks
from tasks.importing import import_bundle
from tasks.scrubbing.context import ClaimContext
from tasks.scrubbing.engine import profiles
from tasks.scrubbing.loader import load_contexts
from tasks.scrubbing.run import CHUNK, scrub_batch, scrub_claims, scrubbable_claims
from tasks.synthetic import generate_practice
from tasks.synthetic.generate import install_roster


def _practice_db(folder: Path) -> tuple[object, list[int]]:
    practice = generate_practice(7, TODAY)
    engine = make_engine(f"sqlite:///{folder / 'bench.db'}")
    create_schema(engine)
    sandbox = SandboxClearinghouse.from_folder(
        install_roster(practice, folder / "sandbox").parent, get_settings().timezone
    )
    with session_scope(engine) as s:
        report = import_bundle(s, practice.bundle)
        draft_claims(s, report.practice_id, load_fee_schedule(), source="bench")
        ids = scrubbable_claims(s)
        run_checks(s, sandbox, claim_coverage_dates(s, ids), profiles=profiles(), now=get_settings().now())
    return engine, ids


def _replicate(contexts: list[ClaimContext], n: int) -> list[ClaimContext]:
    """n contexts: copies of the practice's claims under new claim IDs and control numbers."""
    out = []
    for i in range(n):
        base = contexts[i % len(contexts)]
        ctx = copy.copy(base)
        ctx.claim = copy.copy(base.claim)  # plain rows (models/plain.py): a shallow copy is a new row
        ctx.claim.id, ctx.claim.patient_control_number = 1_000_000 + i, f"B{i:011d}"
        ctx.lines = [copy.copy(line) for line in base.lines]
        ctx.x12_problems, ctx._live, ctx._day, ctx.changed_lines = None, None, None, []
        out.append(ctx)
    return out


def batch_rate(contexts: list[ClaimContext]) -> float:
    """Claims per second through coding, the batch X12 check and every rule."""
    start = time.perf_counter()
    for offset in range(0, len(contexts), CHUNK):
        scrub_batch(contexts[offset : offset + CHUNK])
    return len(contexts) / (time.perf_counter() - start)


def main() -> None:
    """Print one JSON line of rates."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--claims", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    pin_clock()
    with tempfile.TemporaryDirectory() as tmp:
        engine, ids = _practice_db(Path(tmp))
        with session_scope(engine) as s:  # type: ignore[arg-type]
            contexts = load_contexts(s, ids, today=TODAY)
            rates = sorted(batch_rate(_replicate(contexts, args.claims)) for _ in range(args.repeat))
            start = time.perf_counter()
            scrub_claims(s, ids, today=TODAY, source="bench")
            db_rate = len(ids) / (time.perf_counter() - start)
    print(
        json.dumps(
            {
                "claims": args.claims,
                "scrub_claims_per_s": round(rates[-1]),
                "scrub_claims_per_s_median": round(rates[len(rates) // 2]),
                "db_scrub_claims_per_s": round(db_rate),
                "db_claims": len(ids),
            }
        )
    )


if __name__ == "__main__":
    main()
