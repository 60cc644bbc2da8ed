"""Routing to each practice's (or batch's) connection: the routing used as one clearinghouse refuses rather
than fall back to `default`, and a connection or practice it does not know is one clear line."""

from collections.abc import Callable
from typing import cast

import pytest

from config.clearinghouses import Connection, SandboxConnection
from models.errors import ClearinghouseNotRouted, ConfigError
from tasks.clearinghouse.protocol import Clearinghouse
from tasks.clearinghouse.routing import Routed, route


def _routed(opened: list[str]) -> Routed:
    connections: dict[str, Connection] = {"default": SandboxConnection(), "mailbox": SandboxConnection()}

    def opener(name: str, _connection: Connection) -> Clearinghouse:
        opened.append(name)
        return cast(Clearinghouse, f"clearinghouse {name}")

    return Routed(connections, {1: None, 2: "mailbox"}, opener)


@pytest.mark.parametrize(
    ("call", "ask"),
    [
        ("check_eligibility", lambda c: c.check_eligibility("ISA", payer_id="SACME1")),
        ("submit", lambda c: c.submit("ISA", control_number="000000001", payer_id="SACME1")),
        ("was_received", lambda c: c.was_received("000000001")),
        ("fetch_reports", lambda c: c.fetch_reports(None)),
    ],
)
def test_the_routing_used_as_one_clearinghouse_refuses_instead_of_using_default(
    call: str, ask: Callable[[Routed], object]
) -> None:
    opened: list[str] = []
    with pytest.raises(ClearinghouseNotRouted) as failed:
        ask(_routed(opened))
    assert str(failed.value).startswith(f"{call} was asked of every connection at once") and opened == []


def test_route_takes_the_batch_s_connection_else_the_practice_s() -> None:
    opened: list[str] = []
    routed = _routed(opened)
    assert route(routed, 1) == "clearinghouse default" and route(routed, 2) == "clearinghouse mailbox"
    assert route(routed, 1, "mailbox") == "clearinghouse mailbox"  # a batch assembled for the mailbox
    assert opened == ["default", "mailbox"]


def test_a_connection_or_practice_the_routing_does_not_know_is_one_line() -> None:
    routed = _routed([])
    with pytest.raises(ConfigError) as failed:
        route(routed, 1, "oldbox")
    assert failed.value.lines == ["clearinghouse 'oldbox' is not a connection in GROUPBILL_CLEARINGHOUSES_FILE"]
    with pytest.raises(ConfigError, match="practice record 9 was not there"):
        route(routed, 9)
