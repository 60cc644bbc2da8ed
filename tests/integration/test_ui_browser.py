"""The same retry, in the real Prefect UI: headless Debian chromium driven by Playwright opens the failed
daily-claims run, clicks Retry, confirms, and sees the run complete. Screenshots go to test-output/."""

import re
import shutil
from typing import Any

import pytest

from tests.integration.conftest import OUTPUT, Stack, fail_a_daily_run, received_once
from tests.waiting import wait_for

pytestmark = pytest.mark.integration
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Headless and offline: without the background-networking flags chromium keeps dialling Google.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.mark.skipif(not shutil.which("chromium"), reason="Debian's chromium is not installed (.ci/run installs it)")
def test_retry_button_in_the_prefect_ui_completes_the_failed_run(stack: Stack) -> None:
    from playwright.sync_api import expect, sync_playwright

    run_id, failed = fail_a_daily_run(stack)
    assert failed["state_type"] == "FAILED"
    ui = stack.prefect.api.removesuffix("/api")
    OUTPUT.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(f"{ui}/runs/flow-run/{run_id}")
        expect(page.get_by_text(failed["name"]).first).to_be_visible(timeout=30_000)
        expect(page.get_by_text("Failed").first).to_be_visible()
        # the cause in one line, where the operator looks first
        expect(page.get_by_text("press Retry when the clearinghouse answers").first).to_be_visible(timeout=30_000)
        page.screenshot(path=str(OUTPUT / "ui-retry-failed.png"))
        _the_alert_links_the_failed_run(page, ui, stack, run_id)
        page.goto(f"{ui}/runs/flow-run/{run_id}")
        expect(page.get_by_text(failed["name"]).first).to_be_visible(timeout=30_000)
        page.get_by_role("button", name="Retry").first.click()
        page.get_by_role("dialog").get_by_role("button", name="Retry").click()
        run = stack.prefect.wait_run(run_id, states={"COMPLETED", "FAILED", "CRASHED"}, seconds=240)
        page.reload()
        expect(page.get_by_text("Completed").first).to_be_visible(timeout=30_000)
        page.screenshot(path=str(OUTPUT / "ui-retry-completed.png"))
        _the_summary_shows_money_and_queues(page, ui, stack)
        browser.close()
    assert run["state_type"] == "COMPLETED" and run["run_count"] == 2
    received, sent = received_once(stack)
    assert sent and sorted(received) == sent


def _the_alert_links_the_failed_run(page: Any, ui: str, stack: Stack, run_id: str) -> None:
    """The automation records the alert; its artifact says the cause and links the failed run's page."""
    from playwright.sync_api import expect

    alert = wait_for(lambda: _artifact(stack, "ops-alert"), 120, "the ops-alert artifact")
    page.goto(f"{ui}/artifacts/artifact/{alert}")
    expect(page.get_by_text("press Retry when the clearinghouse answers").first).to_be_visible(timeout=30_000)
    expect(page.locator(f"a[href*='/runs/flow-run/{run_id}']").first).to_be_visible()
    page.screenshot(path=str(OUTPUT / "ui-alert.png"), full_page=True)


def _the_summary_shows_money_and_queues(page: Any, ui: str, stack: Stack) -> None:
    """The completed night's summary: claims and money side by side, holds by rule, the queue commands."""
    from playwright.sync_api import expect

    page.goto(f"{ui}/artifacts/artifact/{_artifact(stack, 'daily-claims-summary')}")
    expect(page.get_by_text("sent to the clearinghouse").first).to_be_visible(timeout=30_000)
    page.screenshot(path=str(OUTPUT / "ui-daily-summary.png"), full_page=True)
    expect(page.get_by_text(re.compile(r"\$[0-9,]+\.[0-9]{2}")).first).to_be_visible()
    expect(page.get_by_text("what fixes it").first).to_be_visible()
    expect(page.get_by_text("groupbill claims timely").first).to_be_visible()  # and each open queue's command


def _artifact(stack: Stack, key: str) -> str | None:
    """The ID of the newest version of the artifact `key` (the UI shows an artifact's content by ID)."""
    body = {"artifacts": {"key": {"any_": [key]}}, "sort": "CREATED_DESC", "limit": 1}
    found = stack.prefect.call("POST", "/artifacts/filter", json=body)
    return str(found[0]["id"]) if found else None
