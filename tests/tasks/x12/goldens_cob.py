"""Golden files of coordination of benefits: a secondary 837P after Medicare (line-level adjudication
with MOA), a tertiary 837P after a commercial primary and Medicare as secondary payer (MSP 12,
adjudicated at claim level), and the secondary's 835 with OA-23 (the prior payer's impact)."""

from dataclasses import replace
from datetime import date
from decimal import Decimal as D

from tasks.x12 import claim837_model as x
from tasks.x12 import remit835_model as r
from tasks.x12.envelope import Header
from tests.tasks.x12 import goldens as g

MEDICAID = x.Payer("PRAIRIE STATE MEDICAID", "SMCD01")
PAID_ON = date(2026, 12, 4)
OTTO_MCD = x.Subscriber("PSM44817203", g.OTTO, MEDICAID, "MC", responsibility="S")
JANE_MCD = x.Subscriber("PSM55102938", g.JANE, MEDICAID, "MC", responsibility="T")


def _cas(group: str, reason: str, amount: str) -> x.Cas:
    return x.Cas(group, reason, D(amount))


def _secondary() -> x.Batch:
    """Medicaid billed after Medicare paid 25.14 and left the 20% coinsurance (6.28)."""
    pcn = "GB0000000201"
    medicare = x.OtherPayer(
        "P",
        "18",
        "MB",
        x.Person("OAK", "OTTO"),
        "1EG4TE5MK72",
        g.MEDICARE,
        paid=D("25.14"),
        remarks=("MA01",),
        claim_number="SMCR01-GB0000000102",
    )
    line = x.ServiceLine(
        "90853",
        D("75"),
        1,
        (1, 2),
        g.DOS,
        f"{pcn}L1",
        ("HQ",),
        adjudications=(
            x.LineAdjudication(
                "SMCR01",
                D("25.14"),
                "90853",
                D(1),
                PAID_ON,
                adjustments=(_cas("CO", "45", "43.58"), _cas("PR", "2", "6.28")),
                remaining_liability=D("6.28"),  # 2430 AMT*EAF: Medicare answered line by line
            ),
        ),
    )
    return g._batch(201, g._claim(pcn, OTTO_MCD, lines=(line,), other_payers=(medicare,)))


def _tertiary() -> x.Batch:
    """Medicaid billed third: Acme paid 28 (copay 20 left); Medicare as secondary payer (working aged, MSP
    12) paid 3.42 at claim level and left 16.58 of the copay."""
    pcn = "GB0000000301"
    acme = x.OtherPayer(
        "P",
        "18",
        "CI",
        x.Person("DOE", "JANE"),
        "W123456789",
        g.ACME,
        group_number="GRP4411",
        paid=D("28"),
        claim_number="SACME1-GB0000000101",
    )
    medicare = x.OtherPayer(
        "S",
        "18",
        "MB",
        x.Person("DOE", "JANE"),
        "3QK7AB2CD45",
        g.MEDICARE,
        msp_type="12",
        adjustments=(_cas("OA", "23", "55"), _cas("PR", "3", "16.58")),
        paid=D("3.42"),
        remaining_liability=D("16.58"),  # 2320 AMT*EAF: Medicare answered at claim level only
        claim_number="SMCR01-GB0000000201",
        adjudicated_on=date(2026, 12, 11),
    )
    line = x.ServiceLine(
        "90853",
        D("75"),
        1,
        (1, 2),
        g.DOS,
        f"{pcn}L1",
        ("HQ",),
        adjudications=(
            x.LineAdjudication(
                "SACME1",
                D("28"),
                "90853",
                D(1),
                PAID_ON,
                adjustments=(_cas("CO", "45", "27"), _cas("PR", "3", "20")),
                remaining_liability=D("20"),
            ),
        ),
    )
    return g._batch(301, g._claim(pcn, JANE_MCD, lines=(line,), other_payers=(acme, medicare)))


def claims_837_cob() -> dict[str, x.Batch]:
    """The secondary and tertiary 837P."""
    return {"837p_secondary_after_medicare": _secondary(), "837p_tertiary_after_two_payers": _tertiary()}


def remittance_secondary() -> dict[str, r.Remittance]:
    """Acme as a Medicare supplement: OA-23 for what Medicare settled, then the coinsurance Medicare left."""
    pcn = "GB0000000202"
    line = g._svc(pcn, "6.28", (r.Adjustment("OA", "23", D("68.72")),))
    claim = r.ClaimPayment(
        pcn,
        "2",
        D("75"),
        D("6.28"),
        D("0"),
        "12",
        "SACME1-GB0000000202",
        "11",
        "1",
        "OAK",
        "OTTO",
        "W555000111",
        (),
        (line,),
    )
    payment = replace(g._pay(claim).payments[0], trace_number="EFT20261211", payment_date=date(2026, 12, 11))
    return {"835_secondary_oa23": r.Remittance(Header("SACME1", "GROUPBILL", 402, g.CREATED), (payment,))}
