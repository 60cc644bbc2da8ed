"""Serve every groupbill deployment from one long-running process: `python -m deployments.serve`.

The process polls the Prefect API every PREFECT_RUNNER_POLL_FREQUENCY seconds (default 10). The
flows are added to the runner in memory (`Runner.add_flow`, not `serve(*deployments)`, which would
start each run as a fresh `python -m prefect.engine` that imports Prefect and the flow again), and
each run is forked from a warm process (`deployments/warm_start.py`). With a 2 s poll an
event-triggered eligibility check is Running within about 2 s of its event.
"""


def main() -> None:
    """Register the deployments, their schedules and triggers, and run what comes due."""
    # Imported here, not at the top: every run's process imports this module first (multiprocessing's
    # `__mp_main__`), so what is imported here would be imported again at each run's start.
    import asyncio

    from prefect.exceptions import TerminationSignal
    from prefect.runner import Runner

    from deployments.definitions import served_flows
    from deployments.warm_start import install
    from models.errors import ConfigError
    from tasks.runtime import connections

    try:  # the clearinghouse connections are checked at start-up, not at the first night's run
        connections()
    except ConfigError as exc:
        raise SystemExit("\n".join(f"error: {line}" for line in exc.lines)) from None
    install()
    runner = Runner(limit=4, pause_on_shutdown=True)
    for flow, options in served_flows():
        runner.add_flow(flow, **options)
    try:
        asyncio.run(runner.start())
    except (KeyboardInterrupt, TerminationSignal):
        pass  # `make stop` or Ctrl-C ends the process quietly, as Prefect's own `serve()` does


if __name__ == "__main__":
    main()
