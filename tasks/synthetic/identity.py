"""Made-up people and identifiers that look real enough for X12 (valid NPIs, plausible IDs)."""

import random
from datetime import date, timedelta

from models.identifiers import npi_check_digit

FIRST_NAMES = (
    "Avery",
    "Jordan",
    "Morgan",
    "Riley",
    "Casey",
    "Quinn",
    "Harper",
    "Rowan",
    "Elliot",
    "Skyler",
    "Dana",
    "Reese",
    "Emerson",
    "Hayden",
    "Jamie",
    "Logan",
    "Parker",
    "Sawyer",
    "Taylor",
    "Blake",
    "Cameron",
    "Drew",
    "Finley",
    "Kendall",
    "Marlowe",
    "Noel",
    "Oakley",
    "Peyton",
    "Remy",
    "Sage",
)
LAST_NAMES = (
    "Abernathy",
    "Bellweather",
    "Castellano",
    "Delacroix",
    "Ellsworth",
    "Fairbanks",
    "Galloway",
    "Holloway",
    "Ingram",
    "Jablonski",
    "Kowalczyk",
    "Lindqvist",
    "Montague",
    "Nakashima",
    "Okonkwo",
    "Pemberton",
    "Quintero",
    "Rasmussen",
    "Sorensen",
    "Thibodeaux",
    "Underhill",
    "Valdivia",
    "Whitfield",
    "Yamaguchi",
    "Zielinski",
    "Ashdown",
    "Brightwater",
    "Calloway",
    "Dunmore",
    "Everly",
)
STREETS = ("Maple Ave", "Oak St", "Riverside Dr", "Elm St", "Hillcrest Rd", "Cedar Ln", "Lakeview Blvd")


def make_npi(rng: random.Random) -> str:
    """A random NPI that passes the Luhn check."""
    body = "1" + "".join(str(rng.randrange(10)) for _ in range(8))
    return body + npi_check_digit(body)


def person(rng: random.Random, *, min_age: int, max_age: int, today: date) -> dict[str, object]:
    """A first and last name, sex and a birth date in the age range."""
    age_days = rng.randrange(min_age * 365 + 30, max_age * 365)
    return {
        "first_name": rng.choice(FIRST_NAMES),
        "last_name": rng.choice(LAST_NAMES),
        "sex": rng.choice("FM"),
        "birth_date": (today - timedelta(days=age_days)).isoformat(),
    }


def address(rng: random.Random) -> dict[str, str]:
    """A street address in the practice's town."""
    return {
        "line1": f"{rng.randrange(10, 9999)} {rng.choice(STREETS)}",
        "city": "Springfield",
        "state": "IL",
        "zip": f"627{rng.randrange(0, 100):02d}{rng.randrange(0, 10000):04d}",
    }


def member_id(rng: random.Random, prefix: str) -> str:
    """A payer-style member ID with the payer's prefix."""
    return prefix + "".join(str(rng.randrange(10)) for _ in range(9))
