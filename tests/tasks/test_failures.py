"""The one-line cause of a failed run."""

import pytest
from sqlalchemy.exc import OperationalError

from models.errors import (
    ClearinghouseAuthFailed,
    ClearinghouseRejected,
    ClearinghouseUnavailable,
    InputError,
    SubmissionFileMissing,
)
from tasks.failures import cause_line, explained


def test_a_clearinghouse_outage_says_where_how_often_and_that_nothing_went_twice() -> None:
    exc = ClearinghouseUnavailable("clearinghouse answered 500 sending batch 12 (0 of 3 batches sent before it)")
    assert cause_line(exc, "submit-batches", 4) == (
        "submit-batches: clearinghouse answered 500 sending batch 12 (0 of 3 batches sent before it) on 4 of 4 "
        "tries; nothing was sent twice (a batch left 'submitting' is asked about before any resend); "
        "press Retry when the clearinghouse answers"
    )


@pytest.mark.parametrize(
    ("exc", "says"),
    [
        (ClearinghouseAuthFailed("clearinghouse refused the API key (401)"), "fix the clearinghouse credentials"),
        (ClearinghouseRejected("unknown payer 'X'"), "retrying unchanged will not help"),
        (InputError(["session 42: no such session in the billing database"]), "session 42: no such session"),
        (SubmissionFileMissing("837P file /x/000000012.x12 cannot be read (No such file)"), "cannot be read"),
        (OperationalError("INSERT", {}, Exception("database is locked")), "the billing database failed"),
        (KeyError("PAT-0012"), "unexpected KeyError"),
    ],
)
def test_each_kind_of_failure_is_one_line_with_what_to_do(exc: BaseException, says: str) -> None:
    line = cause_line(exc, "draft-claims")
    assert line.startswith("draft-claims: ") and says in line and "\n" not in line and "Retry" in line


def test_a_foreign_exception_is_named_by_its_type_only() -> None:
    """Its message may hold anything (a patient ID in a KeyError): only groupbill's own are quoted."""
    assert "PAT-0012" not in cause_line(KeyError("PAT-0012"))


def test_explained_keeps_the_result_and_the_signature() -> None:
    @explained
    def body(n: int, *, twice: bool = False) -> int:
        """A flow body."""
        return n * (2 if twice else 1)

    assert body(3, twice=True) == 6 and body.__doc__ == "A flow body." and body.__name__ == "body"
