"""Serve every groupbill deployment from one long-running process: `python -m deployments.serve`.

Runs execute in subprocesses; the process polls the Prefect API every PREFECT_RUNNER_POLL_FREQUENCY
seconds (default 10; 2 makes event-triggered runs start within about 3 s).
"""


def main() -> None:
    """Register the deployments, their schedules and triggers, and run what comes due."""
    # Imported here, not at the top: each run starts in a spawned process that re-imports this
    # module first (multiprocessing's `__mp_main__`), and importing every flow there cost 1.3 s of
    # every event-triggered run's start.
    from prefect import serve

    from deployments.definitions import all_deployments

    serve(*all_deployments(), limit=4)


if __name__ == "__main__":
    main()
