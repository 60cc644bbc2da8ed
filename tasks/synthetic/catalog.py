"""The synthetic practice's fixed cast: payers (with the policy the defects rely on),
clinicians and group programs.

The payer policy here is what the sandbox payers enforce and what the shipped payer profiles
(config/payers/) must agree with: change both together.
"""

from decimal import Decimal
from typing import Any

PAYERS: tuple[dict[str, Any], ...] = (
    {
        "id": "MCR",
        "name": "Medicare Part B",
        "x12_payer_id": "SMCR01",
        "claim_filing_indicator": "MB",
        "profile": "medicare_part_b",
        "kind": "medicare",
        "prefix": "1EG4",
        "share": 25,
        "allowed": {"90853": Decimal("31.42"), "90785": Decimal("14.20")},
        "copay": Decimal("0.00"),
        "coinsurance": Decimal("0.20"),
        "auth_required": False,
        "max_group": 12,
        "timely_filing_days": 365,
    },
    {
        "id": "MCD",
        "name": "Prairie State Medicaid",
        "x12_payer_id": "SMCD01",
        "claim_filing_indicator": "MC",
        "profile": "state_medicaid",
        "kind": "medicaid",
        "prefix": "PSM",
        "share": 30,
        "allowed": {"90853": Decimal("24.10"), "90785": Decimal("11.00")},
        "copay": Decimal("0.00"),
        "coinsurance": Decimal("0.00"),
        "auth_required": True,
        "max_group": 10,
        "timely_filing_days": 180,
    },
    {
        "id": "ACME",
        "name": "Acme Health Plan",
        "x12_payer_id": "SACME1",
        "claim_filing_indicator": "CI",
        "profile": "commercial_acme",
        "kind": "commercial",
        "prefix": "ACM",
        "share": 25,
        "allowed": {"90853": Decimal("48.00"), "90785": Decimal("16.50")},
        "copay": Decimal("20.00"),
        "coinsurance": Decimal("0.00"),
        "auth_required": False,
        "max_group": 12,
        "timely_filing_days": 90,
    },
    {
        "id": "BLUE",
        "name": "Blue Meadow PPO",
        "x12_payer_id": "SBLUE1",
        "claim_filing_indicator": "BL",
        "profile": "commercial_bluemeadow",
        "kind": "commercial",
        "prefix": "BMW",
        "share": 20,
        "allowed": {"90853": Decimal("52.50"), "90785": Decimal("18.00")},
        "copay": Decimal("25.00"),
        "coinsurance": Decimal("0.10"),
        "auth_required": True,
        "max_group": 15,
        "timely_filing_days": 120,
    },
)

# credential, NUCC taxonomy, source id
CLINICIANS = (
    ("LCSW", "1041C0700X", "PRV-LCSW"),
    ("LPC", "101YP2500X", "PRV-LPC"),
    ("LMFT", "106H00000X", "PRV-LMFT"),
    ("PsyD", "103TC0700X", "PRV-PSYD"),
    ("MD", "2084P0800X", "PRV-MD"),
    ("PMHNP", "363LP0808X", "PRV-PMHNP"),
)

# id, name, modality, place of service, weekdays (Mon=0), start hour, minutes, leader, co-leader,
# members on the roster, and the diagnoses its members typically carry.
PROGRAMS: tuple[dict[str, Any], ...] = (
    {
        "id": "GRP-DBT",
        "name": "DBT Skills Group",
        "modality": "in_person",
        "pos": "11",
        "days": (1, 3),
        "start": (10, 0),
        "minutes": 90,
        "leader": "PRV-LCSW",
        "co_leader": None,
        "members": 9,
        "dx": ("F60.3", "F33.1", "F43.10"),
    },
    {
        "id": "GRP-DEP",
        "name": "Depression Process Group",
        "modality": "in_person",
        "pos": "11",
        "days": (0, 2),
        "start": (14, 0),
        "minutes": 60,
        "leader": "PRV-PSYD",
        "co_leader": "PRV-LPC",
        "members": 8,
        "dx": ("F33.1", "F32.1", "F34.1"),
    },
    {
        "id": "GRP-SUD",
        "name": "Recovery Group (Substance Use)",
        "modality": "in_person",
        "pos": "11",
        "days": (0, 2, 4),
        "start": (18, 0),
        "minutes": 90,
        "leader": "PRV-LPC",
        "co_leader": None,
        "members": 14,
        "dx": ("F10.20", "F11.20", "F12.20"),
    },
    {
        "id": "GRP-TEL",
        "name": "Telehealth Anxiety Group",
        "modality": "video",
        "pos": "10",
        "days": (1, 3),
        "start": (12, 0),
        "minutes": 60,
        "leader": "PRV-LMFT",
        "co_leader": None,
        "members": 8,
        "dx": ("F41.1", "F41.0", "F40.10"),
    },
)

GOALS = (
    "Reduce depressive symptoms (PHQ-9 below 10)",
    "Use two distress-tolerance skills when urges arise",
    "Maintain abstinence and attend recovery supports weekly",
    "Lower anxiety in social situations (GAD-7 below 8)",
    "Improve interpersonal effectiveness with family",
)

PARTICIPATION = (
    "Shared a recent conflict at work and practised the DEAR MAN script with a peer.",
    "Described two cravings this week and the urge-surfing skill used for each.",
    "Was quiet early, then reflected on isolation and agreed to one social contact.",
    "Challenged a catastrophic thought aloud and rated belief before and after (80% to 40%).",
    "Gave feedback to another member and role-played setting a boundary.",
    "Reported better sleep; completed the thought record and discussed one entry.",
)
RESPONSES = (
    "Engaged and receptive; able to name the skill and when to use it.",
    "Tearful at times but stayed with the exercise; mood brighter at close.",
    "Defensive at first, then accepted peer feedback.",
    "Good insight; linked this week's trigger to the treatment-plan goal.",
)
FOCUS = {
    "GRP-DBT": "Interpersonal effectiveness: DEAR MAN",
    "GRP-DEP": "Behavioural activation and rumination",
    "GRP-SUD": "Relapse prevention: high-risk situations",
    "GRP-TEL": "Cognitive restructuring for worry",
}
