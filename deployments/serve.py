"""Serve every groupbill deployment from one long-running process: `python -m deployments.serve`.

Runs execute in subprocesses; the process polls the Prefect API every PREFECT_RUNNER_POLL_FREQUENCY
seconds (default 10; 2 makes event-triggered runs start within about 3 s).
"""

from prefect import serve

from deployments.definitions import all_deployments


def main() -> None:
    """Register the deployments, their schedules and triggers, and run what comes due."""
    serve(*all_deployments(), limit=4)


if __name__ == "__main__":
    main()
