"""The clearinghouse boundary: one protocol, a sandbox payer simulator and an HTTP client."""

from config.settings import ClearinghouseKind, Settings
from tasks.clearinghouse.protocol import Clearinghouse, Receipt, Report, ReportPage

__all__ = ["Clearinghouse", "Receipt", "Report", "ReportPage", "open_clearinghouse"]


def open_clearinghouse(settings: Settings) -> Clearinghouse:
    """The one switch point: the sandbox simulator or the HTTP client, as settings say."""
    if settings.clearinghouse is ClearinghouseKind.HTTP:
        from tasks.clearinghouse.http_client import HttpClearinghouse

        return HttpClearinghouse(
            settings.clearinghouse_url,
            settings.clearinghouse_api_key.get_secret_value(),
            rate_per_second=settings.clearinghouse_rate_per_second,
            read_timeout=settings.clearinghouse_timeout_seconds,
        )
    from tasks.clearinghouse.sandbox.simulator import SandboxClearinghouse

    return SandboxClearinghouse.from_folder(settings.sandbox_dir, settings.timezone)
