"""Every requests/urllib3 failure maps into the error tree; the token bucket paces calls."""

import inspect

import pytest
import requests
import urllib3

from models.errors import ClearinghouseRejected, ClearinghouseUnavailable
from tasks.clearinghouse.http_client import translate
from tasks.clearinghouse.rate import TokenBucket


def _all_subclasses(root: type) -> list[type]:
    found, todo = [], [root]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return found


class _Response:
    """Just enough of a urllib3 response for exceptions that read one."""

    length_remaining = 0

    def tell(self) -> int:
        return 0


def _instance(cls: type) -> Exception:
    if "response" in inspect.signature(cls.__init__).parameters:
        return cls(_Response(), b"")
    if issubclass(cls, urllib3.exceptions.PoolError) or "pool" in inspect.signature(cls.__init__).parameters:
        try:
            return cls(None, "message")
        except TypeError:
            pass
    for args in ((), ("message",), (None, "message"), ("a", "b"), ("msg", "doc", 0), ("a", "b", "c")):
        try:
            return cls(*args)
        except TypeError:
            continue
    raise AssertionError(f"cannot build {cls}")


EXCEPTIONS = sorted(
    {*_all_subclasses(requests.RequestException), *_all_subclasses(urllib3.exceptions.HTTPError)},
    key=lambda c: f"{c.__module__}.{c.__name__}",
)


@pytest.mark.parametrize("cls", EXCEPTIONS, ids=lambda c: f"{c.__module__}.{c.__name__}")
def test_every_requests_and_urllib3_failure_maps_to_our_tree(cls: type) -> None:
    assert isinstance(translate(_instance(cls)), ClearinghouseUnavailable | ClearinghouseRejected)


@pytest.mark.parametrize(
    ("exc", "kind"),
    [
        (requests.ConnectTimeout(), ClearinghouseUnavailable),
        (requests.ReadTimeout(), ClearinghouseUnavailable),
        (requests.ConnectionError(), ClearinghouseUnavailable),
        (requests.exceptions.ChunkedEncodingError(), ClearinghouseUnavailable),
        (requests.exceptions.SSLError(), ClearinghouseRejected),
        (requests.exceptions.MissingSchema(), ClearinghouseRejected),
        (requests.exceptions.InvalidURL(), ClearinghouseRejected),
        (requests.TooManyRedirects(), ClearinghouseRejected),
    ],
)
def test_transient_versus_permanent(exc: Exception, kind: type) -> None:
    assert type(translate(exc)) is kind
    assert "\n" not in str(translate(exc))


def test_token_bucket_paces_each_key_separately() -> None:
    now, slept = [0.0], []

    def sleep(seconds: float) -> None:
        slept.append(round(seconds, 3))
        now[0] += seconds

    bucket = TokenBucket(2.0, capacity=2, clock=lambda: now[0], sleep=sleep)
    for _ in range(4):
        bucket.acquire("SACME1")
    bucket.acquire("SMCR01")
    assert slept == [0.5, 0.5]
    now[0] += 10
    assert bucket.acquire("SACME1") == 0.0


def test_token_bucket_refuses_a_zero_rate() -> None:
    with pytest.raises(ValueError):
        TokenBucket(0)
