"""What Stedi's JSON answers mean: an eligibility answer's `x12` (a 271, or a 999 for an invalid 270), a
claim answer's `status`, `errors[]`, `claimReference` and `x12` (Stedi's own 277CA)."""

import logging
from typing import Any

from models.errors import ClaimsRefused, ClearinghouseRejected, X12ParseError
from tasks.clearinghouse.protocol import Report
from tasks.clearinghouse.stedi.x12text import kind_of, rejected_271, words_999

log = logging.getLogger("groupbill.clearinghouse.stedi")


def eligibility_271(body: dict[str, Any], x12_270: str) -> str:
    """The 271 to store: the payer's own, or, for a 999, every inquiry rejected (AAA 15, correct and resend)."""
    answer = str(body.get("x12") or "")
    kind = kind_of(answer)
    if kind == "271":
        return answer
    if kind == "999":
        log.warning("Stedi answered a 270 with a 999 (the inquiry is invalid): %s", words_999(answer))
        try:
            return rejected_271(x12_270)
        except X12ParseError as exc:
            raise ClearinghouseRejected(f"Stedi refused the 270 with a 999: {words_999(answer)}") from exc
    raise ClearinghouseRejected(f"Stedi's eligibility answer holds no 271 ({kind}): {errors_in_words(body)}")


def claim_status_277(body: dict[str, Any]) -> str:
    """The payer's 277 to a 276."""
    answer = str(body.get("x12") or "")
    if kind_of(answer) != "277":
        raise ClearinghouseRejected(f"Stedi's claim status answer holds no 277: {errors_in_words(body)}")
    return answer


def answer_report(control: str, body: dict[str, Any]) -> Report | None:
    """The X12 in a claim answer (Stedi's 277CA, or a 999) as a report to apply, if there is one."""
    text = str(body.get("x12") or "")
    kind = kind_of(text) if text else ""
    if kind not in ("277", "999"):
        return None
    return Report(f"stedi-answer-{control}", kind, text)


def refusal(control: str, body: dict[str, Any]) -> ClaimsRefused:
    """A claim answer with `status` ERROR: what Stedi's edits said, each code with its words and follow-up."""
    errors = [e for e in body.get("errors") or [] if isinstance(e, dict)]
    codes = tuple(f"STEDI-{e.get('code', '?')}" for e in errors) or ("STEDI-ERROR",)
    return ClaimsRefused(f"Stedi refused interchange {control}: {errors_in_words(body)}", codes=codes)


def errors_in_words(body: dict[str, Any]) -> str:
    """`errors[]` as `code description (follow-up: ...)`, or the answer's `message`."""
    said = []
    for error in body.get("errors") or []:
        if isinstance(error, dict):
            follow = f" (follow-up: {error['followupAction']})" if error.get("followupAction") else ""
            said.append(f"{error.get('code', '?')} {str(error.get('description', '')).strip()}{follow}")
    return "; ".join(said) or str(body.get("message") or "no errors given")[:300]


def correlation_id(body: dict[str, Any]) -> str:
    """Stedi's ID for the submission (claimReference.correlationId), or ''."""
    reference = body.get("claimReference")
    return str(reference.get("correlationId") or "") if isinstance(reference, dict) else ""
