"""Identifiers with check digits: the NPI (Luhn over '80840' + the first nine digits)."""

from functools import lru_cache


def npi_check_digit(first_nine: str) -> str:
    """The check digit that completes an NPI's first nine digits."""
    total = 0
    for i, ch in enumerate(reversed("80840" + first_nine)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str((10 - total % 10) % 10)


@lru_cache(maxsize=65536)
def is_valid_npi(npi: str) -> bool:
    """True for ten digits starting with 1 or 2 whose last digit is the Luhn check digit."""
    return len(npi) == 10 and npi.isdigit() and npi[0] in "12" and npi_check_digit(npi[:9]) == npi[9]
