"""The clearinghouse boundary: one protocol, a sandbox payer simulator and an HTTP client."""
