"""Each practice's own clearinghouse: connections by name, opened once each, chosen by practice.

A `Routed` clearinghouse is what the pipeline is handed when connections are configured; the steps that
know the practice (sending a batch, asking a payer about coverage, collecting reports per connection)
take that practice's (or that batch's) connection through `route`. Used as a clearinghouse itself it
refuses (ClearinghouseNotRouted): falling back to the `default` connection would send one practice's
claims through another's clearinghouse. A connection or practice it does not know is a ConfigError."""

from collections.abc import Callable, Mapping

from config.clearinghouses import DEFAULT_CONNECTION, Connection
from models.errors import ClearinghouseNotRouted, ConfigError
from tasks.clearinghouse.protocol import Clearinghouse, Content, Receipt, ReportPage

DEFAULT_CURSOR = "clearinghouse"  # the report cursor's name before connections were data


def cursor_name(connection: str) -> str:
    """The report cursor of one connection (the default keeps the name it always had)."""
    return DEFAULT_CURSOR if connection == DEFAULT_CONNECTION else f"{DEFAULT_CURSOR}:{connection}"


class Routed:
    """Clearinghouses by connection name; `for_practice` picks a practice's."""

    def __init__(
        self,
        connections: Mapping[str, Connection],
        practices: Mapping[int, str | None],
        opener: Callable[[str, Connection], Clearinghouse],
        *,
        source: str = "GROUPBILL_CLEARINGHOUSES_FILE",
    ) -> None:
        self.connections, self._opener, self.source = dict(connections), opener, source
        self.practices = {practice: name or DEFAULT_CONNECTION for practice, name in practices.items()}
        self._open: dict[str, Clearinghouse] = {}
        unknown = sorted({(p, n) for p, n in self.practices.items() if n not in self.connections})
        if unknown:
            raise ConfigError(
                [f"practice record {p}: clearinghouse {n!r} is not a connection in {source}" for p, n in unknown]
            )

    def name_of(self, practice_id: int) -> str:
        """The connection a practice bills through (`default` for one that names none)."""
        if practice_id not in self.practices:
            raise ConfigError(f"practice record {practice_id} was not there when its connection was looked up: re-run")
        return self.practices[practice_id]

    def open(self, name: str) -> Clearinghouse:
        """The connection `name`, opened on first use."""
        if name not in self.connections:
            raise ConfigError(f"clearinghouse {name!r} is not a connection in {self.source}")
        if name not in self._open:
            self._open[name] = self._opener(name, self.connections[name])
        return self._open[name]

    def for_practice(self, practice_id: int) -> Clearinghouse:
        """The practice's clearinghouse."""
        return self.open(self.name_of(practice_id))

    def in_use(self) -> list[str]:
        """The connections some practice bills through (`default` when there is no practice yet)."""
        return sorted(set(self.practices.values()) or {DEFAULT_CONNECTION})

    def check_eligibility(self, x12_270: str, *, payer_id: str) -> str:
        """Refused: route to the practice's connection first."""
        raise _not_routed("check_eligibility")

    def submit(self, x12_837: str, *, control_number: str, payer_id: str) -> Receipt:
        """Refused: route to the batch's connection first."""
        raise _not_routed("submit")

    def was_received(self, control_number: str, *, expected: Content | None = None) -> Receipt | None:
        """Refused: route to the batch's connection first."""
        raise _not_routed("was_received")

    def fetch_reports(self, cursor: str | None) -> ReportPage:
        """Refused: open each connection in use (collect does)."""
        raise _not_routed("fetch_reports")


def _not_routed(call: str) -> ClearinghouseNotRouted:
    return ClearinghouseNotRouted(
        f"{call} was asked of every connection at once: route(clearinghouse, practice_id) to one first"
    )


def route(clearinghouse: Clearinghouse, practice_id: int, connection: str | None = None) -> Clearinghouse:
    """The named connection (a batch's), else the practice's own, when `clearinghouse` routes; else itself."""
    if not isinstance(clearinghouse, Routed):
        return clearinghouse
    return clearinghouse.open(connection or clearinghouse.name_of(practice_id))


def reports_applied(clearinghouse: Clearinghouse, page: ReportPage) -> None:
    """Tell a clearinghouse that keeps files (a mailbox) that `page` is applied and committed."""
    settle = getattr(clearinghouse, "reports_applied", None)
    if settle is not None:
        settle(page)
