"""Read any X12 file groupbill knows: find the transaction by its ST01 and use its reader."""

from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from models.errors import X12ParseError
from tasks.x12.ack277 import read_277ca
from tasks.x12.ack999 import read_999
from tasks.x12.auth278 import read_278
from tasks.x12.claim837_reader import read_837p
from tasks.x12.eligibility_reader import read_270, read_271
from tasks.x12.remit835_reader import read_835
from tasks.x12.segments import split_segments


class Parsed(Protocol):
    """Every reader's result can print itself as the public JSON."""

    def as_json(self) -> dict[str, Any]: ...


READERS: dict[str, Callable[[str], Parsed]] = {
    "837": read_837p,
    "270": read_270,
    "271": read_271,
    "999": read_999,
    "277": read_277ca,
    "835": read_835,
    "278": read_278,
}


def transaction_kind(text: str) -> str:
    """The ST01 of the first transaction set ('837', '835', ...)."""
    _, segments = split_segments(text)
    for number, seg in enumerate(segments, start=1):
        if seg[0] == "ST":
            kind = seg[1] if len(seg) > 1 else ""
            if kind not in READERS:
                raise X12ParseError(f"transaction set {kind!r} is not one groupbill reads", segment=number)
            return kind
    raise X12ParseError("no ST segment (not a transaction set)", segment=len(segments))


def parse_x12(text: str) -> tuple[str, Parsed]:
    """The transaction kind and its typed reading."""
    kind = transaction_kind(text)
    return kind, READERS[kind](text)


def read_x12_file(path: Path) -> str:
    """The text of an X12 file; unreadable or binary files are one-line parse errors naming it."""
    try:
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
