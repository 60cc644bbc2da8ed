"""Every deployment's schedules and triggers pass parameters its flow accepts (no server needed)."""

import asyncio
import inspect
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
import pytest
from prefect.deployments.runner import RunnerDeployment
from prefect.flows import load_flow_from_entrypoint

from deployments.definitions import all_deployments, deployment

SAMPLE_EVENT = {"resource": {"id": "groupbill.session.42"}, "payload": {"session_id": 42}, "event": "x.Failed"}


def _render(value: Any) -> Any:
    """A trigger parameter as the automation would render it for SAMPLE_EVENT (single expressions keep type)."""
    if not isinstance(value, str) or "{{" not in value:
        return value
    expression = value.strip()[2:-2]
    return jinja2.Environment().compile_expression(expression)(event=SAMPLE_EVENT)


@pytest.mark.parametrize("deployment", all_deployments(), ids=lambda d: d.name)
def test_schedules_and_triggers_fit_the_flow(deployment: RunnerDeployment) -> None:
    flow = load_flow_from_entrypoint(deployment.entrypoint or "", use_placeholder_flow=False)
    signature = inspect.signature(flow.fn)
    required = {n for n, p in signature.parameters.items() if p.default is inspect.Parameter.empty}
    sources = [s.parameters for s in deployment.schedules or []]
    sources += [{k: _render(v) for k, v in (t.parameters or {}).items()} for t in deployment.triggers]
    assert set(deployment.parameters) <= set(signature.parameters)
    for params in [{**deployment.parameters, **p} for p in sources]:  # on-demand runs bring their own
        assert set(params) <= set(signature.parameters), params
        assert required <= set(params), required - set(params)
        flow.validate_parameters(params)


def test_the_session_trigger_passes_the_session_id_as_a_number() -> None:
    (trigger,) = deployment("eligibility-check/morning-and-events").triggers
    assert _render((trigger.parameters or {})["session_id"]) == 42
    assert trigger.expect == {"groupbill.session.scheduled"}


def test_schedules_run_in_the_practice_time_zone() -> None:
    from config.settings import get_settings

    zones = {s.schedule.timezone for d in all_deployments() for s in d.schedules or []}  # type: ignore[union-attr]
    assert zones == {get_settings().practice_timezone}


def test_prefect_yaml_describes_the_same_deployments() -> None:
    from pathlib import Path

    import yaml

    spec = yaml.safe_load((Path(__file__).resolve().parents[2] / "deployments" / "prefect.yaml").read_text())
    served = {(d.entrypoint, d.name): d for d in all_deployments()}
    described = {}
    for item in spec["deployments"]:
        module, _, function = item["entrypoint"].partition(":")
        described[(module.removesuffix(".py").replace("/", ".") + "." + function, item["name"])] = item
    assert set(described) == set(served)
    for key, item in described.items():
        deployment = served[key]
        assert [s["cron"] for s in item.get("schedules", [])] == [s.schedule.cron for s in deployment.schedules or []]  # type: ignore[union-attr]
        assert item.get("concurrency_limit") == (
            deployment.concurrency_limit if isinstance(deployment.concurrency_limit, int | None) else 1
        )
        triggers = item.get("triggers", [])
        assert [(t["name"], t.get("parameters")) for t in triggers] == [
            (t.name, t.parameters) for t in deployment.triggers
        ]


def test_serve_hands_the_runner_every_flow_in_memory_after_warming_the_fork_server(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`serve(*deployments)` would start each run as a cold `python -m prefect.engine`; the runner must
    get the flow objects (Runner.add_flow), with the deployments' options, once the warm server runs."""
    import prefect.runner

    from deployments import serve, warm_start
    from deployments.definitions import served_flows

    calls: list[Any] = []

    class FakeRunner:
        def __init__(self, **options: Any) -> None:
            calls.append(("runner", options))

        def add_flow(self, flow: Any, **options: Any) -> None:
            calls.append(("add_flow", flow.name, options["name"], sorted(options)))

        async def start(self) -> None:
            calls.append(("start",))

    monkeypatch.setattr(prefect.runner, "Runner", FakeRunner)
    monkeypatch.setattr(warm_start, "install", lambda: calls.append(("install",)))
    serve.main()
    expected = [("add_flow", flow.name, options["name"], sorted(options)) for flow, options in served_flows()]
    assert calls == [("install",), ("runner", {"limit": 4, "pause_on_shutdown": True}), *expected, ("start",)]
    assert {(d.flow_name, d.name) for d in all_deployments()} == {(c[1], c[2]) for c in expected}


DST_DAYS = {
    "spring": date(2027, 3, 14),  # 02:00 EST -> 03:00 EDT
    "autumn": date(2026, 11, 1),  # 02:00 EDT -> 01:00 EST
    "next autumn": date(2027, 11, 7),
}


def _local_runs(cron: Any, day: date) -> list[datetime]:
    """The run times the Prefect server computes for `cron` from the day before `day` to the day after."""
    from prefect.server.schemas.schedules import CronSchedule

    zone = ZoneInfo(cron.timezone)
    schedule = CronSchedule(cron=cron.cron, timezone=cron.timezone, day_or=cron.day_or)
    start = datetime.combine(day - timedelta(days=1), time(0), zone)
    dates = asyncio.run(schedule.get_dates(n=500, start=start, end=start + timedelta(days=3)))
    return [datetime.fromtimestamp(d.timestamp(), zone) for d in dates]  # plain datetimes, not Prefect's


@pytest.mark.parametrize("day", DST_DAYS.values(), ids=DST_DAYS.keys())
def test_daily_schedules_fire_once_a_day_at_their_local_time_across_daylight_saving(day: date) -> None:
    """05:30, 06:00, 06:15 and 07:00 lie outside the hour the clocks skip or repeat: once each day, on the minute."""
    crons = [s.schedule for d in all_deployments() for s in d.schedules or [] if s.schedule.cron.split()[1] != "*"]  # type: ignore[union-attr]
    assert {c.cron for c in crons} == {"30 5 * * *", "0 6 * * 1-6", "15 6 * * *", "0 7 * * *"}
    for cron in crons:
        runs = _local_runs(cron, day)
        minute, hour = (int(v) for v in cron.cron.split()[:2])
        assert {(r.hour, r.minute) for r in runs} == {(hour, minute)}, (cron.cron, runs)
        days = [r.date() for r in runs]
        assert len(days) == len(set(days)), (cron.cron, runs)  # never twice a day
        expected = [day + timedelta(days=n) for n in (-1, 0, 1)]
        weekdays = range(6) if cron.cron.endswith("1-6") else range(7)
        assert days == [d for d in expected if d.weekday() in weekdays], (cron.cron, runs)


@pytest.mark.parametrize("day", DST_DAYS.values(), ids=DST_DAYS.keys())
def test_the_hourly_collection_never_runs_twice_in_one_real_hour(day: date) -> None:
    (cron,) = [s.schedule for s in deployment("collect-reports/hourly-collection").schedules or []]  # type: ignore[union-attr]
    runs = [r.astimezone(UTC) for r in _local_runs(cron, day)]
    gaps = {b - a for a, b in zip(runs, runs[1:], strict=False)}
    assert gaps <= {timedelta(hours=1), timedelta(hours=2)} and len(runs) >= 71, runs  # spring skips 02:05
