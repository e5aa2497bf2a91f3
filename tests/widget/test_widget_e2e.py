"""The widget in Debian's Chromium against the real bot and action server."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
import requests
from playwright.sync_api import Browser, Page, expect

from tests.widget.support import WIDGET_DIR
from tools.stack import Stack

pytestmark = [pytest.mark.model, pytest.mark.server]

XSS = "<img src=x onerror=alert(1)>"
REPLY_TIMEOUT_MS = 90_000  # the first turn after start-up can be slow on a busy machine
SHADOW = "document.querySelector('[data-sprout-widget]').shadowRoot"


def _focused_in_widget(page: Page) -> str:
    """Class or id of the element focused inside the widget's shadow root ('' if none)."""
    script = f"() => {{ const e = {SHADOW}.activeElement; return e ? e.id || e.className : ''; }}"
    return page.evaluate(script)


def _tab_to_launcher(page: Page) -> None:
    for _ in range(15):
        page.keyboard.press("Tab")
        if _focused_in_widget(page) == "launcher":
            return
    pytest.fail("the launcher cannot be reached with the Tab key")


def _watch(page: Page) -> dict[str, list[str]]:
    seen: dict[str, list[str]] = {"dialogs": [], "errors": []}

    def on_dialog(dialog: Any) -> None:
        seen["dialogs"].append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda error: seen["errors"].append(str(error)))
    return seen


def _user_texts(stack: Stack, sender: str, expected: int) -> list[str]:
    """The user messages in Rasa's tracker (saved just after the replies go out)."""
    texts: list[str] = []
    deadline = time.monotonic() + 15
    while len(texts) < expected and time.monotonic() < deadline:
        tracker = requests.get(
            f"{stack.url}/conversations/{sender}/tracker", params={"token": stack.token}, timeout=10
        ).json()
        texts = [event.get("text") for event in tracker["events"] if event["event"] == "user"]
        time.sleep(0.2)
    return texts


def _serious_axe_violations(page: Page) -> list[str]:
    page.add_script_tag(path=str(WIDGET_DIR / "node_modules" / "axe-core" / "axe.min.js"))
    violations = page.evaluate(
        "async () => (await axe.run(document)).violations"
        ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
        ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))"
    )
    return list(violations)


def test_conversation_in_a_real_browser(
    browser: Browser, demo_url: str, stack: Stack, artifacts: Path
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    seen = _watch(page)
    page.goto(demo_url)
    bot = page.locator(".sw .msg.bot")
    user = page.locator(".sw .msg.user")

    # Open with the keyboard only: focus moves into the panel.
    _tab_to_launcher(page)
    page.keyboard.press("Enter")
    expect(page.get_by_role("dialog", name="Sprout")).to_be_visible()
    assert _focused_in_widget(page) == "sw-input"
    expect(bot.first).to_contain_text("Hi, I'm Sprout")

    # A FAQ answer with quick replies.
    page.keyboard.type("does insurance cover PT?")
    page.keyboard.press("Enter")
    expect(bot.nth(1)).to_contain_text("insurance", timeout=REPLY_TIMEOUT_MS)
    book = page.get_by_role("button", name="Book a free consultation")
    expect(book).to_be_enabled()

    # The clinic's aggressive button styles do not leak into the shadow root.
    assert book.evaluate("b => getComputedStyle(b).backgroundColor") != "rgb(255, 0, 170)"

    # A quick reply sends its payload, shows its title and disables the buttons.
    replies_before = bot.count()
    book.click()
    expect(user.last).to_have_text("You: Book a free consultation")
    expect(book).to_be_disabled()
    expect(page.get_by_role("button", name="Talk to our team")).to_be_disabled()
    expect(bot.nth(replies_before)).to_be_visible(timeout=REPLY_TIMEOUT_MS)
    assert _serious_axe_violations(page) == []

    # A reload shows the history, and the conversation carries on in the same session.
    page.reload()
    expect(page.get_by_role("dialog", name="Sprout")).to_be_visible()
    expect(user.first).to_contain_text("does insurance cover PT?")
    expect(bot.nth(1)).to_contain_text("insurance")
    expect(page.get_by_role("button", name="Book a free consultation")).to_be_disabled()
    replies_before = bot.count()
    page.get_by_label("Your message").fill(XSS)
    page.get_by_label("Your message").press("Enter")
    expect(user.last).to_have_text(f"You: {XSS}")
    expect(bot.nth(replies_before)).to_be_visible(timeout=REPLY_TIMEOUT_MS)
    assert page.locator(".sw img").count() == 0
    assert page.evaluate(f"() => {SHADOW}.querySelectorAll('img').length") == 0
    session = page.evaluate(
        "() => Object.entries(localStorage).find(([k]) => k.endsWith(':session'))[1]"
    )
    assert _user_texts(stack, session, 3) == ["does insurance cover PT?", "/book_consultation", XSS]

    page.screenshot(path=str(artifacts / "conversation-desktop.png"))

    # Escape closes the panel and focus returns to the launcher.
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog", name="Sprout")).to_be_hidden()
    assert _focused_in_widget(page) == "launcher"
    assert seen == {"dialogs": [], "errors": []}
    context.close()


@pytest.mark.parametrize(
    ("width", "height", "name"),
    [(320, 640, "phone-320px"), (640, 400, "zoom-200pct")],  # 1280x800 at 200% zoom
)
def test_small_screens_and_zoom(
    browser: Browser, demo_url: str, artifacts: Path, width: int, height: int, name: str
) -> None:
    context = browser.new_context(
        viewport={"width": width, "height": height}, reduced_motion="reduce"
    )
    page = context.new_page()
    page.goto(demo_url)
    page.get_by_role("button", name="Open chat with Sprout").click()
    panel = page.get_by_role("dialog", name="Sprout")
    expect(panel).to_be_visible()
    box = panel.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
    assert box["y"] >= 0 and box["y"] + box["height"] <= height
    for control in (
        page.get_by_label("Your message"),
        page.get_by_role("button", name="Send"),
        page.get_by_role("button", name="Close chat"),
        page.get_by_role("button", name="Start over: begin a new conversation"),
    ):
        control_box = control.bounding_box()
        assert control_box is not None
        assert control_box["x"] >= 0 and control_box["x"] + control_box["width"] <= width
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    assert panel.evaluate("p => getComputedStyle(p).animationName") == "none"
    assert _serious_axe_violations(page) == []
    page.screenshot(path=str(artifacts / f"{name}.png"))
    context.close()
