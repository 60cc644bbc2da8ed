"""The soak's Stedi side: a round whose clearinghouse is the local Stedi-contract server (the sandbox
server with --profile stedi and the soak's faults), reached through a `stedi` connection as `default`."""

from pathlib import Path

PROFILE = ("--profile", "stedi")


def stedi_connections(folder: Path, url: str, key: str) -> Path:
    """The connections file of a Stedi round (JSON is YAML), the key in an owner-only file beside it."""
    import json

    key_file = folder / "stedi.key"
    key_file.write_text(key)
    key_file.chmod(0o600)
    connection = {
        "kind": "stedi",
        "healthcare_url": f"{url}/2024-04-01",
        "core_url": f"{url}/2023-08-01",
        "api_key_file": str(key_file),
        "timeout": 1,
        "backoff": 0.05,
        "rate_per_second": 200,
    }
    path = folder / "clearinghouses.yaml"
    path.write_text(json.dumps({"connections": {"default": connection}}))
    return path
