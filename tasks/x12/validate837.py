"""The fast structural check of an 837P run before every submission (rule CLM_X12_INVALID).

It checks what our own mistakes or bad data could break: envelopes and counts, the required
segments and elements of 005010X222A1 that groupbill writes, and the arithmetic of each claim.
Each problem names the segment and, inside a claim, the claim's patient control number.
"""

import re
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from models.errors import X12ParseError
from tasks.x12.claim837_model import VERSION_837P
from tasks.x12.envelope import Interchange, Segment, TransactionSet, read_interchange
from tasks.x12.values import element as el
from tasks.x12.values import gc_paused

NPI = re.compile(r"^[12][0-9]{9}$")
ZIP9 = re.compile(r"^[0-9]{9}$")
DIAGNOSIS = re.compile(r"^[A-Z][0-9][0-9A-Z][0-9A-Z]{0,4}$")
MAX_LINES, MAX_DIAGNOSES = 50, 12


@dataclass(frozen=True, slots=True)
class Problem:
    """One structural problem: where, what, and the claim it belongs to (if any)."""

    segment: int
    message: str
    claim: str | None = None
    hl: str | None = None  # the HL loop it was found in (a problem there affects the claims below it)

    def __str__(self) -> str:
        return f"segment {self.segment}: {self.message}" + (f" (claim {self.claim})" if self.claim else "")


def problems_by_claim(text: str) -> dict[str, list[Problem]]:
    """Problems of a multi-claim 837P, by patient control number; a problem in a loop that several
    claims share (a subscriber, the billing provider) is counted against each of them."""
    found: dict[str, list[Problem]] = {}
    try:
        with gc_paused():
            interchange = read_interchange(text, strict=False)
    except X12ParseError:
        return found
    for group in interchange.groups:
        for tset in group.sets:
            check = _SetCheck(tset)
            for problem in check.run():
                for pcn in [problem.claim] if problem.claim else check.claims_at.get(problem.hl or "", []):
                    found.setdefault(pcn, []).append(problem)
    return found


def validate_837p(text: str) -> list[Problem]:
    """Every structural problem of an 837P; empty when it is fit to send."""
    try:
        interchange = read_interchange(text, strict=False)
    except X12ParseError as exc:
        return [Problem(exc.segment or 1, exc.reason)]
    return validate_interchange(interchange)


def validate_interchange(interchange: Interchange) -> list[Problem]:
    """`validate_837p` of an interchange already read (non-strict), so a reader splits the text once."""
    problems = [Problem(n, reason) for n, reason in interchange.problems]
    problems += _isa_problems(interchange.isa)
    for group in interchange.groups:
        if group.functional_id != "HC" or group.version != VERSION_837P:
            problems.append(
                Problem(2, f"GS01/GS08 must be HC/{VERSION_837P}, found {group.functional_id}/{group.version}")
            )
        for tset in group.sets:
            problems += _SetCheck(tset).run()
    return problems


def _isa_problems(isa: Segment) -> list[Problem]:
    widths = {2: 10, 4: 10, 6: 15, 8: 15, 9: 6, 10: 4, 13: 9}
    problems = [Problem(1, f"ISA{i:02d} must be {w} characters") for i, w in widths.items() if len(el(isa, i)) != w]
    if el(isa, 12) != "00501":
        problems.append(Problem(1, "ISA12 must be 00501"))
    if el(isa, 15) not in ("T", "P"):
        problems.append(Problem(1, "ISA15 must be T or P"))
    return problems


class _SetCheck:
    def __init__(self, tset: TransactionSet) -> None:
        self.tset = tset
        self.problems: list[Problem] = []
        self.claim: str | None = None
        self.claim_charge = Decimal(0)
        self.line_total = Decimal(0)
        self.lines = 0
        self.diagnoses = 0
        self.hl_ids: set[str] = set()
        self.seen: set[str] = set()
        self.hl: str | None = None
        self.parents: dict[str, str] = {}
        self.claims_at: dict[str, list[str]] = {}

    def fail(self, offset: int, message: str) -> None:
        self.problems.append(Problem(self.tset.first_segment + 1 + offset, message, self.claim, self.hl))

    def run(self) -> list[Problem]:
        if self.tset.set_id != "837" or self.tset.version != VERSION_837P:
            self.fail(-1, f"ST01/ST03 must be 837/{VERSION_837P}")
        for offset, seg in enumerate(self.tset.segments):
            self.check(offset, seg)
        self.close_claim(len(self.tset.segments))
        for required in ("BHT", "NM1*41", "NM1*40", "NM1*85", "SBR", "NM1*IL", "NM1*PR", "CLM"):
            if required not in self.seen:
                self.fail(len(self.tset.segments), f"required {required} segment is missing")
        return [self.attributed(p) for p in self.problems]

    def attributed(self, problem: Problem) -> Problem:
        """A problem outside any claim, found in an HL loop with exactly one claim below, names that claim."""
        below = self.claims_at.get(problem.hl or "", [])
        return replace(problem, claim=below[0]) if problem.claim is None and len(below) == 1 else problem

    def check(self, offset: int, seg: Segment) -> None:
        tag = seg[0]
        self.seen.add(tag)
        if tag == "NM1":
            self.seen.add(f"NM1*{el(seg, 1)}")
            self.name(offset, seg)
        elif tag == "HL":
            self.close_claim(offset)
            self.hierarchy(offset, seg)
        elif tag == "N4" and self.claim is None and "NM1*85" in self.seen and "SBR" not in self.seen:
            if not ZIP9.match(el(seg, 3)):
                self.fail(offset, "billing provider ZIP must be 9 digits")
        elif tag == "CLM":
            self.close_claim(offset)
            self.open_claim(offset, seg)
        elif tag == "HI":
            self.diagnosis(offset, seg)
        elif tag == "SV1":
            self.service(offset, seg)
        elif tag == "LX":
            self.lines += 1
            self.followed_by(offset, ("SV1",), "LX")
        if tag == "NM1" and el(seg, 1) == "85":
            self.followed_by(offset, ("N3", "N4"), "billing provider NM1*85")

    def followed_by(self, offset: int, tags: tuple[str, ...], what: str) -> None:
        """The segments right after `offset` must be `tags`, in order."""
        following = [el(s, 0) for s in self.tset.segments[offset + 1 : offset + 1 + len(tags)]]
        if following != list(tags):
            self.fail(offset, f"{what} must be followed by {', '.join(tags)}")

    def name(self, offset: int, seg: Segment) -> None:
        if el(seg, 1) in ("85", "82") and (el(seg, 8) != "XX" or not NPI.match(el(seg, 9))):
            self.fail(offset, f"NM1*{el(seg, 1)} needs an NPI (XX + 10 digits), found {el(seg, 9)!r}")
        if el(seg, 1) in ("IL", "QC", "85", "82", "PR") and not el(seg, 3):
            self.fail(offset, f"NM1*{el(seg, 1)} has no name")
        if el(seg, 1) == "IL" and (el(seg, 8) != "MI" or not el(seg, 9)):
            self.fail(offset, "subscriber has no member ID (NM108 MI, NM109)")

    def hierarchy(self, offset: int, seg: Segment) -> None:
        if el(seg, 1) in self.hl_ids or (el(seg, 2) and el(seg, 2) not in self.hl_ids):
            self.fail(offset, f"HL {el(seg, 1)} is duplicated or names an unknown parent {el(seg, 2)!r}")
        if el(seg, 3) not in ("20", "22", "23"):
            self.fail(offset, f"HL level {el(seg, 3)!r} is not 20, 22 or 23")
        self.hl_ids.add(el(seg, 1))
        self.hl = el(seg, 1)
        if el(seg, 2):
            self.parents[self.hl] = el(seg, 2)

    def open_claim(self, offset: int, seg: Segment) -> None:
        self.claim = el(seg, 1)
        hl: str | None = self.hl
        while hl is not None:  # the claim sits under its HL and every ancestor
            self.claims_at.setdefault(hl, []).append(self.claim)
            hl = self.parents.get(hl)
        self.lines, self.line_total, self.diagnoses = 0, Decimal(0), 0
        if not 1 <= len(self.claim) <= 20:
            self.fail(offset, "CLM01 must be 1 to 20 characters")
        self.claim_charge = self.positive(offset, el(seg, 2), "CLM02")
        parts = el(seg, 5).split(":")
        if len(parts) != 3 or parts[1] != "B" or parts[2] not in ("1", "7", "8") or len(parts[0]) != 2:
            self.fail(offset, f"CLM05 must be POS:B:frequency (1, 7 or 8), found {el(seg, 5)!r}")

    def diagnosis(self, offset: int, seg: Segment) -> None:
        codes = [part.split(":") for part in seg[1:]]
        self.diagnoses = len(codes)
        if not codes or codes[0][0] != "ABK" or any(c[0] != "ABF" for c in codes[1:]):
            self.fail(offset, "HI must start with ABK and continue with ABF")
        if len(codes) > MAX_DIAGNOSES:
            self.fail(offset, f"more than {MAX_DIAGNOSES} diagnoses")
        for code in codes:
            if len(code) < 2 or not DIAGNOSIS.match(code[1]):
                self.fail(offset, f"diagnosis {':'.join(code)!r} is not an ICD-10-CM code without a dot")

    def service(self, offset: int, seg: Segment) -> None:
        composite = el(seg, 1).split(":")
        if composite[0] != "HC" or len(composite) < 2 or len(composite) > 6 or not composite[1]:
            self.fail(offset, f"SV101 must be HC:code[:up to 4 modifiers], found {el(seg, 1)!r}")
        self.line_total += self.positive(offset, el(seg, 2), "SV102")
        if el(seg, 3) != "UN" or self.positive(offset, el(seg, 4), "SV104") <= 0:
            self.fail(offset, "SV103/SV104 must be UN and a positive unit count")
        date = self.tset.segments[offset + 1] if offset + 1 < len(self.tset.segments) else ["end"]
        if el(date, 0) != "DTP" or el(date, 1) != "472" or len(el(date, 3)) != 8:
            self.fail(offset, "service line needs DTP*472*D8 right after SV1")
        pointers = [p for p in el(seg, 7).split(":") if p]
        if (
            not pointers
            or len(set(pointers)) != len(pointers)
            or any(not p.isdigit() or not 1 <= int(p) <= min(4, self.diagnoses) for p in pointers)
        ):
            self.fail(offset, f"SV107 pointers {el(seg, 7)!r} must be distinct, 1-4 and within the diagnoses")

    def close_claim(self, offset: int) -> None:
        if self.claim is None:
            return
        if not 1 <= self.lines <= MAX_LINES:
            self.fail(offset - 1, f"a claim needs 1 to {MAX_LINES} service lines, found {self.lines}")
        if self.diagnoses == 0:
            self.fail(offset - 1, "claim has no HI diagnosis segment")
        if self.line_total != self.claim_charge:
            self.fail(offset - 1, f"CLM02 {self.claim_charge} does not equal the sum of SV102 {self.line_total}")
        self.claim = None

    def positive(self, offset: int, text: str, what: str) -> Decimal:
        try:
            value = Decimal(text)
        except InvalidOperation:
            self.fail(offset, f"{what} {text!r} is not a number")
            return Decimal(0)
        if value <= 0:
            self.fail(offset, f"{what} must be positive, found {text}")
        return value
