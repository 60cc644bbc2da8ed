"""The 837P's other-payer loops (2320/2330A/2330B/2430): written as the prior 835 gave them, read back,
balanced, valid for pyx12, and shown by `groupbill x12 parse`."""

import json
from dataclasses import replace
from decimal import Decimal as D
from pathlib import Path

from tasks.x12.claim837_reader import read_837p
from tasks.x12.claim837_writer import write_837p
from tasks.x12.cob_balance import other_payer_imbalances
from tasks.x12.referee import pyx12_problems
from tests.tasks.x12.goldens_cob import claims_837_cob

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "x12"


def _claim(name: str):  # noqa: ANN202
    return claims_837_cob()[name].claims[0]


def test_the_golden_secondary_and_tertiary_balance() -> None:
    for name in claims_837_cob():
        assert other_payer_imbalances(_claim(name)) == [], name


def test_a_line_paid_differently_from_the_835_does_not_balance() -> None:
    claim = _claim("837p_secondary_after_medicare")
    line = claim.lines[0]
    wrong = replace(line, adjudications=(replace(line.adjudications[0], paid=D("30")),))
    problems = other_payer_imbalances(replace(claim, lines=(wrong,)))
    assert len(problems) == 2
    assert problems[0].startswith("line 1: charge 75.00 is not MEDICARE PART B's paid 30.00")
    assert "line payments add up to 30.00, not its paid amount 25.14" in problems[1]


def test_a_claim_level_adjustment_summarised_does_not_balance() -> None:
    claim = _claim("837p_tertiary_after_two_payers")
    medicare = claim.other_payers[1]
    summarised = replace(medicare, adjustments=medicare.adjustments[:1])
    problems = other_payer_imbalances(replace(claim, other_payers=(claim.other_payers[0], summarised)))
    assert problems == [
        "charge 75.00 is not MEDICARE PART B's paid 3.42 plus its claim adjustments 55.00 and line adjustments 0.00"
    ]


def test_a_payer_that_has_not_adjudicated_is_listed_without_amounts() -> None:
    claim = _claim("837p_secondary_after_medicare")
    later = replace(claim.other_payers[0], sequence="T", paid=None, remaining_liability=None, remarks=())
    unpaid = replace(claim, other_payers=(later,), lines=tuple(replace(x, adjudications=()) for x in claim.lines))
    batch = replace(claims_837_cob()["837p_secondary_after_medicare"], claims=(unpaid,))
    text = write_837p(batch)
    assert "SBR*T*18" in text and "AMT*" not in text and "MOA" not in text
    assert read_837p(text).claims[0].other_payers[0].adjudicated is False


def test_remaining_liability_goes_on_the_line_for_a_payer_that_answered_by_line_else_on_the_claim() -> None:
    text = write_837p(claims_837_cob()["837p_tertiary_after_two_payers"])
    segments = text.split("~\n")
    acme, medicare = segments.index("SBR*P*18*GRP4411******CI"), segments.index("SBR*S*18***12****MB")
    assert "AMT*EAF*20" not in segments[acme:medicare]  # Acme answered by line: 2430 carries it
    assert segments[segments.index("SVD*SACME1*28*HC:90853**1") :][4] == "AMT*EAF*20"  # after CAS, CAS, DTP*573
    assert "AMT*EAF*16.58" in segments[medicare : segments.index("LX*1")]  # Medicare answered at claim level
    line = read_837p(text).claims[0].lines[0].adjudications[0]
    assert line.remaining_liability == D("20") and pyx12_problems(text) == []


def test_remaining_liability_is_not_sent_to_medicare() -> None:
    batch = claims_837_cob()["837p_secondary_after_medicare"]
    claim = batch.claims[0]
    to_medicare = replace(claim, subscriber=replace(claim.subscriber, filing_indicator="MB", msp_type="12"))
    text = write_837p(replace(batch, claims=(to_medicare,)))
    assert "AMT*D*25.14" in text and "AMT*EAF" not in text and "SBR*S*18***12****MB" in text
    assert pyx12_problems(text) == []


def test_x12_parse_shows_the_other_payers_and_line_adjudications(cli) -> None:  # noqa: ANN001
    code, out, _ = cli("x12", "parse", str(FIXTURES / "837p_tertiary_after_two_payers.x12"), "--format", "json")
    claim = json.loads(out)["claims"][0]
    assert code == 0 and claim["payer_sequence"] == "T"
    assert [(o["sequence"], o["payer_id"], o["paid"]) for o in claim["other_payers"]] == [
        ("P", "SACME1", "28.00"),
        ("S", "SMCR01", "3.42"),
    ]
    assert claim["other_payers"][1]["adjustments"] == [
        {"group": "OA", "reason": "23", "amount": "55.00"},
        {"group": "PR", "reason": "3", "amount": "16.58"},
    ]
    assert claim["lines"][0]["adjudications"] == [
        {
            "payer_id": "SACME1",
            "paid": "28.00",
            "procedure_code": "90853",
            "modifiers": [],
            "units": "1",
            "adjustments": [
                {"group": "CO", "reason": "45", "amount": "27.00"},
                {"group": "PR", "reason": "3", "amount": "20.00"},
            ],
            "remaining_liability": "20.00",
            "adjudicated_on": "2026-12-04",
        }
    ]


def test_x12_parse_table_names_the_payer_and_the_other_payers(cli) -> None:  # noqa: ANN001
    code, out, _ = cli("x12", "parse", str(FIXTURES / "837p_tertiary_after_two_payers.x12"))
    assert code == 0 and "P:SACME1 (28.00) S:SMCR01 (3.42)" in " ".join(out.split())
