"""pydantic's validation errors as groupbill's one-line problems: where, then what, in the input's own case.

The messages are pydantic's, word for word: they quote the allowed values and the input, so changing
their case would make a line contradict itself ("should be 'f', 'm' or 'u' (got 'f')").
"""

from typing import Any

from pydantic import ValidationError


def loc_path(loc: tuple[int | str, ...]) -> str:
    """('sessions', 3, 'attendance', 1, 'patient_id') -> 'sessions[3].attendance[1].patient_id'."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def message(error: Any) -> str:
    """What is wrong, with the value given (unless the field is missing or unknown)."""
    msg = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] in ("missing", "extra_forbidden"):
        return msg
    value = error.get("input")
    shown = repr(value) if isinstance(value, str | int | float | bool) or value is None else type(value).__name__
    return f"{msg} (got {shown[:60]})"


def problem_lines(exc: ValidationError, prefix: str) -> list[str]:
    """One line per error: '<prefix>: <record path>: <message>'."""
    return [f"{prefix}: {loc_path(e['loc'])}: {message(e)}" for e in exc.errors()]
