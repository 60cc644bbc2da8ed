"""Claims and rosters for clearinghouse tests (synthetic people only)."""

import itertools
import json
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from tasks.clearinghouse.roster import Benefits, Member, Roster, RosterPayer
from tasks.x12 import claim837_model as x
from tasks.x12.claim837_writer import write_837p
from tasks.x12.eligibility_model import InformationReceiver, Inquiry, InquiryBatch
from tasks.x12.eligibility_writer import write_270
from tasks.x12.envelope import Header
from tasks.x12.status276 import write_276
from tasks.x12.status_model import ClaimInquiry, Provider, StatusRequest

DOS = date(2026, 11, 24)
TODAY = date(2026, 11, 27)
RENDERING_NPI, OTHER_NPI, BILLING_NPI = "1987654328", "1456789019", "1234567893"
_controls = itertools.count(100)


def member(member_id: str, last: str, **kw: object) -> Member:
    """A roster member with plan dates around today."""
    fields: dict[str, object] = {
        "member_id": member_id,
        "first_name": "Sam",
        "last_name": last,
        "birth_date": date(1980, 1, 1),
        "plan_begin": date(2025, 1, 1),
    }
    fields.update(kw)
    return Member.model_validate(fields)


def roster(**benefits: object) -> Roster:
    """One payer, SACME1, with a member per behaviour under test."""
    members = [
        member("W100", "Paid"),
        member("W101", "Twice"),
        member("W102", "Limit", benefits=Benefits(visit_limit=2, visits_used=1)),
        member("W103", "Ended", plan_end=date(2026, 10, 31)),
        member("W104", "Carved", benefits=Benefits(carve_out_entity="Mindwell Behavioral Health")),
        member("W105", "Excluded", benefits=Benefits(mental_health_covered=False)),
    ]
    return Roster(
        seed=1,
        today=TODAY,
        payers=[
            RosterPayer(
                source_id="ACME",
                x12_payer_id="SACME1",
                name="Acme Health Plan",
                kind="commercial",
                allowed_amounts={"90853": Decimal("48.00"), "90785": Decimal("16.50"), "90834": Decimal("90.00")},
                benefits=Benefits.model_validate(
                    {
                        "copay": "20.00",
                        "coinsurance": "0.10",
                        "deductible": "100.00",
                        "deductible_remaining": "10.00",
                        **benefits,
                    }
                ),
                rendering_npis=[RENDERING_NPI],
                members=members,
            )
        ],
    )


def write_roster(folder: Path, value: Roster) -> Path:
    """Put a roster where the sandbox looks for it."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "roster.json").write_text(value.model_dump_json())
    return folder


BILLING = x.BillingProvider(
    "RIVERBEND BEHAVIORAL HEALTH",
    BILLING_NPI,
    "371234567",
    "261QM0801X",
    x.Address("400 RIVER RD", "SPRINGFIELD", "IL", "627011234"),
)


def claim(
    member_id: str,
    last: str,
    pcn: str,
    *,
    codes: tuple[tuple[str, tuple[str, ...]], ...] = (("90853", ()),),
    rendering: str = RENDERING_NPI,
    auth: str | None = None,
    day: date = DOS,
) -> x.Claim:
    """A group claim for a roster member (charges 75 for 90853, 20 for 90785, 120 otherwise)."""
    charges = {"90853": Decimal("75"), "90785": Decimal("20")}
    lines = tuple(
        x.ServiceLine(code, charges.get(code, Decimal("120")), 1, (1,), day, f"{pcn}L{n}", mods)
        for n, (code, mods) in enumerate(codes, start=1)
    )
    person = x.Person(last.upper(), "SAM", date(1980, 1, 1), "F", x.Address("1 ELM ST", "SPRINGFIELD", "IL", "62702"))
    subscriber = x.Subscriber(member_id, person, x.Payer("ACME HEALTH PLAN", "SACME1"), "CI")
    return x.Claim(
        pcn,
        sum((line.charge for line in lines), Decimal(0)),
        "11",
        "1",
        ("F331",),
        lines,
        BILLING,
        subscriber,
        rendering=x.Rendering("SMITH", "ALEX", rendering, "1041C0700X"),
        prior_authorization=auth,
    )


def batch_837(*claims: x.Claim, control: int | None = None) -> tuple[str, str]:
    """(837P text, its control number as sent)."""
    number = control or next(_controls) + int(datetime.now().timestamp() * 1000) % 10**8
    batch = x.Batch(
        Header("GROUPBILL", "SANDBOX", number, datetime(2026, 11, 27, 6)),
        x.Submitter("RIVERBEND", "GROUPBILL", "BILLING DESK", "2175550100"),
        x.Receiver("SANDBOX CLEARINGHOUSE", "SANDBOX"),
        f"B{number}",
        claims,
    )
    return write_837p(batch), f"{number:09d}"


def inquiry_270(*inquiries: Inquiry) -> str:
    """A 270 to SACME1 from the practice."""
    return write_270(
        InquiryBatch(
            Header("GROUPBILL", "SACME1", 7, datetime(2026, 11, 27, 6)),
            "E7",
            x.Payer("ACME HEALTH PLAN", "SACME1"),
            InformationReceiver("RIVERBEND", BILLING_NPI),
            "9371234567",
            inquiries,
        )
    )


def inquiry_276(*asked: tuple[str, str, str], control: int = 8) -> str:
    """A 276 to SACME1 asking about claims, each (member ID, last name, patient control number) of a 75.00
    claim on DOS."""
    questions = tuple(
        ClaimInquiry(
            f"CS{pcn}",
            pcn,
            member_id,
            x.Person(last.upper(), "SAM"),
            Provider("RIVERBEND", BILLING_NPI),
            Decimal(75),
            DOS,
        )
        for member_id, last, pcn in asked
    )
    header = Header("GROUPBILL", "SANDBOX", control, datetime(2026, 11, 27, 6))  # to the clearinghouse
    return write_276(
        StatusRequest(header, "CSQ8", x.Payer("ACME HEALTH PLAN", "SACME1"), "RIVERBEND", "GROUPBILL", questions)
    )


def ask(member_id: str | None, last: str, born: date = date(1980, 1, 1), stc: str = "MH") -> Inquiry:
    """One eligibility question for DOS."""
    return Inquiry(f"T{member_id}", member_id, x.Person(last.upper(), "SAM", born, "F"), DOS, stc)


def unique(claim_: x.Claim, suffix: str) -> x.Claim:
    """The same claim under another patient control number."""
    return replace(claim_, patient_control_number=claim_.patient_control_number + suffix)


def roster_json(folder: Path) -> dict:  # type: ignore[type-arg]
    """The roster file's JSON."""
    return json.loads((folder / "roster.json").read_text())
