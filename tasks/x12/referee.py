"""pyx12 as the referee: its verdict on a whole interchange against the implementation guide.

pyx12 takes about half a second per file (it loads its XML maps), so the pipeline uses our fast
structural validator before every submission and pyx12 in tests and `groupbill x12 validate`.
pyx12 has no 5010 map for some transactions (270/271 X279A1, 278 X217, 277 X212) and fails inside
on some files; `verdict` then says so in one line and gives groupbill's own structural verdict.
"""

import io
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from models.errors import X12ParseError
from tasks.x12.interchanges import interchange_texts

_NOISE = ("Failed to create 999", "Cannot create AK2")
MAX_PROBLEMS = 1_000_000  # pyx12_problems' default: all of them


class _Enough(BaseException):
    """Raised through pyx12 to stop it once enough problems are known (not an Exception: pyx12 must
    not catch it)."""


class _Collect(logging.Handler):
    def __init__(self, limit: int) -> None:
        super().__init__(level=logging.ERROR)
        self.messages: list[str] = []
        self.limit = limit

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage().splitlines()[0]
        if not message.startswith(_NOISE):
            self.messages.append(message)
            if len(self.messages) > self.limit:
                raise _Enough


def pyx12_problems(text: str, limit: int = MAX_PROBLEMS) -> list[str]:
    """pyx12's errors for `text`, one line each ('Line:N ...'); empty when it is valid. pyx12 is stopped
    once it has found more than `limit` (so a 20 MB file of bad claims takes seconds, not minutes)."""
    import pyx12.params
    import pyx12.x12n_document

    logger = logging.getLogger("pyx12")
    collector = _Collect(limit)
    saved = (logger.level, logger.propagate)
    logger.addHandler(collector)
    logger.setLevel(logging.ERROR)
    logger.propagate = False
    try:
        valid = pyx12.x12n_document.x12n_document(pyx12.params.params(), io.StringIO(text), None, None, None, None)
    except _Enough:
        valid = False
    finally:
        logger.removeHandler(collector)
        logger.setLevel(saved[0])
        logger.propagate = saved[1]
    if not valid and not collector.messages:
        return ["pyx12 rejected the file without saying where"]
    return collector.messages if not valid else []


def pyx12_has_maps(groups: Iterable[tuple[str, str]]) -> list[str]:
    """The versions among (GS01 functional ID, GS08 version) pairs that pyx12 has no map for."""
    import pyx12.map_index

    index = pyx12.map_index.map_index()
    return sorted(
        {version for functional_id, version in groups if not index.get_filename("00501", version, functional_id)}
    )


@dataclass(frozen=True, slots=True)
class Verdict:
    """Whether a file is valid, the problems (one line each), and who judged it."""

    valid: bool
    problems: list[str]
    judge: str  # "pyx12", or why groupbill's reader judged instead


def verdict(
    text: str, groups: list[tuple[str, str, str]], read: Callable[[str], object], limit: int = MAX_PROBLEMS
) -> Verdict:
    """pyx12's verdict when it can judge every group ((GS01, GS08, ST01) triples), else `read`'s:
    a file our reader accepts is valid, one it refuses is invalid with the refusal as the problem.

    pyx12 takes the delimiters of a file's first interchange for all of them, so each interchange
    is given to it on its own; its problems are then prefixed with the interchange's number.
    """
    missing = pyx12_has_maps((functional_id, version) for functional_id, version, _ in groups)
    if missing:
        kinds = " ".join(sorted({f"{version} {kind}" for _, version, kind in groups if version in missing}))
        return _ours(text, read, f"pyx12 has no map for {kinds}")
    pieces = interchange_texts(text)
    problems: list[str] = []
    try:
        for number, piece in enumerate(pieces, start=1):
            prefix = f"interchange {number}: " if len(pieces) > 1 else ""
            problems += [prefix + problem for problem in pyx12_problems(piece, limit - len(problems))]
            if len(problems) > limit:
                break
    except Exception:  # pyx12 failing inside loses its verdict; it is not a problem of the file
        kinds = " ".join(sorted({f"{version} {kind}" for _, version, kind in groups}))
        return _ours(text, read, f"pyx12 failed inside on {kinds}")
    return Verdict(not problems, problems, "pyx12")


def _ours(text: str, read: Callable[[str], object], why: str) -> Verdict:
    try:
        read(text)
    except X12ParseError as exc:
        where = f"segment {exc.segment}: " if exc.segment is not None else ""
        return Verdict(False, [f"{where}{exc.reason}"], why)
    return Verdict(True, [], why)
