"""One daily run, as the daily_claims and collect_reports flows run it, minus Prefect: the same
pipeline functions the flow's tasks wrap, in the same order, on the database and clearinghouse the
settings name. The soak runs it in a child process and kills it (GROUPBILL_CRASH_AT).

    python -m tests.soak.driver --as-of 2026-11-27 [--to 2026-11-20]

Exit 0 and one JSON line of counts; exit 3 when the clearinghouse stays unavailable through the
client's retries (a failed run, re-run later, as the scheduled flow would be).
"""

import argparse
import json
import sys
from datetime import date

from config.reference_data import x12_codes
from config.settings import get_settings
from models.errors import ClearinghouseUnavailable
from tasks.daily import pipeline
from tasks.runtime import billing_engine, practice_envelope
from tasks.runtime import clearinghouse as runtime_clearinghouse


def run_once(as_of: date, date_to: date | None) -> dict[str, int]:
    """Draft, verify, scrub, assemble, send, collect: what daily_claims does, then collect_reports."""
    engine, clearinghouse = billing_engine(), runtime_clearinghouse(paced=False)
    window, source = pipeline.Window(None, date_to, as_of), "soak"
    counts = pipeline.draft(engine, window, source=source)
    counts |= pipeline.refresh_eligibility(engine, clearinghouse, window, get_settings().now())
    counts |= pipeline.scrub(engine, window, source=source)
    counts["batches_built"] = len(pipeline.assemble(engine, practice_envelope, get_settings().now(), source=source))
    counts |= pipeline.send(engine, clearinghouse, source=source)
    collected = pipeline.collect_reports(engine, clearinghouse, x12_codes(), source=source)
    return counts | {f"reports_{k}": v for k, v in collected.items()}


def main() -> None:
    """Parse the arguments, run once, print the counts."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--as-of", type=date.fromisoformat, required=True)
    parser.add_argument("--to", type=date.fromisoformat, default=None)
    args = parser.parse_args()
    try:
        counts = run_once(args.as_of, args.to)
    except ClearinghouseUnavailable as exc:
        print(f"clearinghouse unavailable: {exc}", file=sys.stderr)  # noqa: T201
        sys.exit(3)
    print(json.dumps(counts))  # noqa: T201


if __name__ == "__main__":
    main()
