"""The same retry, in the real Prefect UI: headless Debian chromium driven by Playwright opens the failed
daily-claims run, clicks Retry, confirms, and sees the run complete. Screenshots go to test-output/."""

import shutil

import pytest

from tests.integration.conftest import OUTPUT, Stack, fail_a_daily_run, received_once

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
        page.screenshot(path=str(OUTPUT / "ui-retry-failed.png"))
        page.get_by_role("button", name="Retry").first.click()
        page.get_by_role("dialog").get_by_role("button", name="Retry").click()
        run = stack.prefect.wait_run(run_id, states={"COMPLETED", "FAILED", "CRASHED"}, seconds=240)
        page.reload()
        expect(page.get_by_text("Completed").first).to_be_visible(timeout=30_000)
        page.screenshot(path=str(OUTPUT / "ui-retry-completed.png"))
        browser.close()
    assert run["state_type"] == "COMPLETED" and run["run_count"] == 2
    received, sent = received_once(stack)
    assert sent and sorted(received) == sent
