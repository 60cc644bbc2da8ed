"""Read any X12 file groupbill knows: find each transaction by its ST01 and use its reader.

A file may hold several interchanges, groups and sets, of one kind or of several (a mailbox's
999 and 277CA together): `parse_each` reads every set on its own, `parse_x12` reads a file of one
kind as one result (several 835 sets: one remittance with every payment, as the typed readers do).
"""

from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from models.errors import X12ParseError
from tasks.x12.ack277 import read_277ca, read_277ca_set
from tasks.x12.ack999 import Ack999, read_999, read_999_set
from tasks.x12.auth278 import read_278, read_278_set
from tasks.x12.claim837_reader import read_837p, read_837p_set
from tasks.x12.eligibility_reader import read_270, read_270_set, read_271, read_271_set
from tasks.x12.envelope import read_header
from tasks.x12.interchanges import SetUnit, transaction_sets
from tasks.x12.remit835_model import Remittance
from tasks.x12.remit835_reader import read_835, read_835_set
from tasks.x12.status276 import read_276, read_276_set
from tasks.x12.status277 import is_claim_status, read_277, read_277_set


class Parsed(Protocol):
    """Every reader's result can print itself as the public JSON."""

    def as_json(self) -> dict[str, Any]: ...


def read_any_277(text: str) -> Parsed:
    """A file of 277s: claim status responses (X212) or claim acknowledgments (277CA, X214)."""
    units = transaction_sets(text)
    return read_277(text) if units and is_claim_status(units[0]) else read_277ca(text)


def _read_277_unit(unit: SetUnit) -> Parsed:
    return read_277_set(unit) if is_claim_status(unit) else read_277ca_set(unit)


READERS: dict[str, Callable[[str], Parsed]] = {
    "837": read_837p,
    "270": read_270,
    "271": read_271,
    "999": read_999,
    "276": read_276,
    "277": read_any_277,
    "835": read_835,
    "278": read_278,
}


SET_READERS: dict[str, Callable[[SetUnit], Parsed]] = {
    "837": read_837p_set,
    "270": read_270_set,
    "271": read_271_set,
    "999": lambda unit: Ack999(read_header(unit.interchange), (read_999_set(unit),)),
    "276": read_276_set,
    "277": _read_277_unit,
    "835": lambda unit: Remittance(read_header(unit.interchange), (read_835_set(unit),)),
    "278": read_278_set,
}


def known_sets(text: str, *, strict: bool = True) -> list[SetUnit]:
    """Every transaction set of the file, each of a kind groupbill reads (else a parse error);
    not strict: envelope count and control-number problems are left for a validator to report."""
    units = transaction_sets(text, strict=strict)
    if not units:
        raise X12ParseError("no ST segment (not a transaction set)", segment=1)
    for unit in units:
        if unit.kind not in READERS:
            shown = unit.kind if unit.kind.isalnum() and len(unit.kind) <= 6 else "?"
            raise X12ParseError(
                f"transaction set {shown!r} is not one groupbill reads", segment=unit.tset.first_segment
            )
    return units


def transaction_kind(text: str) -> str:
    """The ST01 of the first transaction set ('837', '835', ...)."""
    return known_sets(text)[0].kind


def parse_x12(text: str) -> tuple[str, Parsed]:
    """The transaction kind and its typed reading of the whole file (every set must be of that kind)."""
    kind = transaction_kind(text)
    return kind, READERS[kind](text)


def parse_each(text: str) -> list[tuple[str, Parsed]]:
    """Every transaction set of the file, each read on its own, in order (kinds may differ)."""
    return [(unit.kind, SET_READERS[unit.kind](unit)) for unit in known_sets(text)]


def parse_file(text: str) -> list[tuple[str, Parsed]]:
    """What `groupbill x12 parse` shows: the file as one reading when it holds one kind (one 278 at
    most), else each set on its own; a file of interchange acknowledgments only, its TA1s."""
    if not transaction_sets(text, strict=False) and text.lstrip("\ufeff\r\n ").startswith("ISA"):
        from tasks.x12.ta1 import read_ta1

        return [("TA1", read_ta1(text))]
    units = known_sets(text)
    kinds = {(unit.kind, is_claim_status(unit)) for unit in units}
    if len(kinds) == 1 and (units[0].kind != "278" or len(units) == 1):
        return [(units[0].kind, READERS[units[0].kind](text))]
    return [(unit.kind, SET_READERS[unit.kind](unit)) for unit in units]


def read_x12_file(path: Path, max_mb: float = 100) -> str:
    """The text of an X12 file; unreadable, binary or oversized files are one-line parse errors naming it."""
    try:
        size = path.stat().st_size
        if size > max_mb * 1_000_000:
            said = f"{size / 1_000_000:,.1f} MB, over the {max_mb:g} MB limit (`--max-mb N` raises it)"
            raise X12ParseError(said, source=str(path))
        raw = path.read_bytes()
    except OSError as exc:
        raise X12ParseError(f"cannot read: {exc.strerror}", source=str(path)) from None
    if b"\x00" in raw:
        raise X12ParseError("binary data, not X12 text", segment=1, source=str(path))
    try:
        return raw.decode("ascii")
    except UnicodeDecodeError as exc:
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            raise X12ParseError(f"not text (byte {exc.start})", segment=1, source=str(path)) from None
