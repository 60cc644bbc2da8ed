"""Each practice's own clearinghouse: connections by name, opened once each, chosen by practice.

A `Routed` clearinghouse is what the pipeline is handed when connections are configured; the steps that
know the practice (sending a batch, asking a payer about coverage, collecting reports per connection)
take that practice's connection through `route`. Called without a practice it is the `default`
connection, so code that knows nothing of routing keeps working."""

from collections.abc import Callable, Mapping

from config.clearinghouses import DEFAULT_CONNECTION, Connection
from models.errors import ConfigError
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
        self.connections, self._opener = dict(connections), opener
        self.practices = {practice: name or DEFAULT_CONNECTION for practice, name in practices.items()}
        self._open: dict[str, Clearinghouse] = {}
        unknown = sorted({(p, n) for p, n in self.practices.items() if n not in self.connections})
        if unknown:
            raise ConfigError(
                [f"practice record {p}: clearinghouse {n!r} is not a connection in {source}" for p, n in unknown]
            )

    def name_of(self, practice_id: int | None) -> str:
        """The connection a practice bills through (`default` for one that names none)."""
        return self.practices.get(practice_id, DEFAULT_CONNECTION) if practice_id is not None else DEFAULT_CONNECTION

    def open(self, name: str) -> Clearinghouse:
        """The connection `name`, opened on first use."""
        if name not in self._open:
            self._open[name] = self._opener(name, self.connections[name])
        return self._open[name]

    def for_practice(self, practice_id: int | None) -> Clearinghouse:
        """The practice's clearinghouse."""
        return self.open(self.name_of(practice_id))

    def in_use(self) -> list[str]:
        """The connections some practice bills through (`default` when there is no practice yet)."""
        return sorted(set(self.practices.values()) or {DEFAULT_CONNECTION})

    def check_eligibility(self, x12_270: str, *, payer_id: str) -> str:
        """The default connection's."""
        return self.for_practice(None).check_eligibility(x12_270, payer_id=payer_id)

    def submit(self, x12_837: str, *, control_number: str, payer_id: str) -> Receipt:
        """The default connection's."""
        return self.for_practice(None).submit(x12_837, control_number=control_number, payer_id=payer_id)

    def was_received(self, control_number: str, *, expected: Content | None = None) -> Receipt | None:
        """The default connection's."""
        return self.for_practice(None).was_received(control_number, expected=expected)

    def fetch_reports(self, cursor: str | None) -> ReportPage:
        """The default connection's."""
        return self.for_practice(None).fetch_reports(cursor)


def route(clearinghouse: Clearinghouse, practice_id: int | None) -> Clearinghouse:
    """The practice's own clearinghouse when `clearinghouse` routes, else `clearinghouse` itself."""
    return clearinghouse.for_practice(practice_id) if isinstance(clearinghouse, Routed) else clearinghouse


def reports_applied(clearinghouse: Clearinghouse, page: ReportPage) -> None:
    """Tell a clearinghouse that keeps files (a mailbox) that `page` is applied and committed."""
    settle = getattr(clearinghouse, "reports_applied", None)
    if settle is not None:
        settle(page)
