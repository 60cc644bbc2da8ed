"""Micro-benchmark of the X12 codec: 837P writing and 835 reading rates on this machine.

    python -m benchmarks.x12_bench [--claims 20000] [--repeat 3]

Prints one JSON line. Targets (issue [x12]): >= 20,000 claims/s written, >= 50,000 claim payments/s read.
"""

import argparse
import json
import time
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal

from tasks.x12 import claim837_model as x
from tasks.x12 import remit835_model as r
from tasks.x12.claim837_writer import write_837p
from tasks.x12.envelope import Header
from tasks.x12.remit835_reader import read_835
from tasks.x12.remit835_writer import write_835

BILLING = x.BillingProvider(
    "RIVERBEND BEHAVIORAL HEALTH",
    "1234567893",
    "371234567",
    "261QM0801X",
    x.Address("400 RIVER RD", "SPRINGFIELD", "IL", "627011234"),
)
LEADER = x.Rendering("SMITH", "ALEX", "1987654328", "1041C0700X")
PAYER = x.Payer("ACME HEALTH PLAN", "SACME1")
DOS = date(2026, 11, 24)


def claims(n: int) -> tuple[x.Claim, ...]:
    """n claims for n different members (the worst case: no subscriber loop is shared)."""
    out = []
    for i in range(n):
        pcn = f"GB{i:010d}"
        home = x.Address("1 ELM ST", "SPRINGFIELD", "IL", "62702")
        person = x.Person(f"LAST{i}", "FIRST", date(1980, 1, 1), "F", home)
        subscriber = x.Subscriber(f"W{i:09d}", person, PAYER, "CI", "GRP1")
        lines = (
            x.ServiceLine("90853", Decimal("75"), 1, (1, 2), DOS, f"{pcn}L1"),
            x.ServiceLine("90785", Decimal("20"), 1, (1,), DOS, f"{pcn}L2"),
        )
        out.append(
            x.Claim(
                pcn,
                Decimal("95"),
                "11",
                "1",
                ("F331", "F411"),
                lines,
                BILLING,
                subscriber,
                rendering=LEADER,
                prior_authorization="PA1",
            )
        )
    return tuple(out)


def remittance(n: int) -> r.Remittance:
    """One payment with n claim payments, one line each, contractual and copay adjustments."""
    payments = tuple(
        r.ClaimPayment(
            f"GB{i:010d}",
            "1",
            Decimal("75"),
            Decimal("28"),
            Decimal("20"),
            "12",
            f"P{i}",
            "11",
            "1",
            f"LAST{i}",
            "FIRST",
            f"W{i:09d}",
            (),
            (
                r.ServicePayment(
                    "90853",
                    Decimal("75"),
                    Decimal("28"),
                    Decimal("1"),
                    (),
                    DOS,
                    f"GB{i:010d}L1",
                    (r.Adjustment("CO", "45", Decimal("27")), r.Adjustment("PR", "3", Decimal("20"))),
                    (),
                    Decimal("48"),
                ),
            ),
        )
        for i in range(n)
    )
    payment = r.Payment(
        "ACME HEALTH PLAN",
        "SACME1",
        x.Address("1 PAYER WAY", "HARTFORD", "CT", "061010000"),
        "8005550100",
        "RIVERBEND",
        "1234567893",
        "EFT1",
        "1999999999",
        Decimal("28") * n,
        "CHK",
        DOS,
        payments,
    )
    return r.Remittance(Header("SACME1", "GROUPBILL", 1, datetime(2026, 12, 4)), (payment,))


def rates(count: int, work: Callable[[], object], repeat: int) -> tuple[int, int]:
    """Items per second of the fastest and of the median of `repeat` runs (this VM is noisy)."""
    times = sorted(_timed(work) for _ in range(repeat))
    return round(count / times[0]), round(count / times[len(times) // 2])


def _timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def run(n: int, repeat: int) -> dict[str, float | int]:
    """Both rates for n claims."""
    batch = x.Batch(
        Header("GROUPBILL", "SANDBOX", 1, datetime(2026, 11, 27)),
        x.Submitter("R", "G", "B", "1"),
        x.Receiver("S", "S"),
        "B1",
        claims(n),
    )
    text_835 = write_835(remittance(n))
    write_best, write_median = rates(n, lambda: write_837p(batch), repeat)
    read_best, read_median = rates(n, lambda: read_835(text_835), repeat)
    return {
        "claims": n,
        "write_837p_claims_per_s": write_best,
        "write_837p_claims_per_s_median": write_median,
        "read_835_claim_payments_per_s": read_best,
        "read_835_claim_payments_per_s_median": read_median,
    }


def main() -> None:
    """Command-line entry: print the rates as one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--claims", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(json.dumps(run(args.claims, args.repeat)))  # noqa: T201


if __name__ == "__main__":
    main()
