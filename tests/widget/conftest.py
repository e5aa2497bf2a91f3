"""Fixtures for the browser tests: Debian's Chromium driven by Playwright, and the demo page."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.widget.support import ROOT, ensure_widget_built
from tools.stack import Stack

CHROMIUM = "/usr/bin/chromium"  # Debian's package (`make browser`); Playwright's own is not used
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser`")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def demo_url(stack: Stack) -> str:
    """The demo page on the running stack, with the widget built."""
    ensure_widget_built()
    return f"{stack.url}/webhooks/website/demo"


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where screenshots go (git-ignored build/ unless SPROUT_TEST_ARTIFACTS says otherwise)."""
    folder = Path(os.environ.get("SPROUT_TEST_ARTIFACTS", ROOT / "build" / "test-artifacts"))
    folder = folder / "widget"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
