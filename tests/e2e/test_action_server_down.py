"""When the action server dies, parents get a helpful reply, and the bot recovers."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from channels.replies import trouble_reply
from sprout.settings import get_settings
from tests.support.bot_client import BotClient
from tools.stack import Stack, running_stack, start_action_server, wait_for_action_server


@pytest.fixture(scope="module")
def own_stack(
    trained_model: Path, database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Stack, dict[str, str]]]:
    env = {**os.environ, "SPROUT_DATABASE_URL": database_url}
    with running_stack(trained_model, env=env, log_dir=tmp_path_factory.mktemp("down")) as stack:
        yield stack, env


def test_parent_is_told_to_call_and_the_bot_recovers(
    own_stack: tuple[Stack, dict[str, str]],
) -> None:
    stack, env = own_stack
    bot = BotClient(stack.url, stack.token)
    sender = bot.new_sender()
    assert "action_handoff_to_human" in bot.say(sender, "can I talk to a real person").actions

    actions = stack.processes[0]
    actions.kill()
    actions.wait()
    down = bot.say(sender, "I'd like to speak to someone on your team please")
    assert down.replies[-1]["text"] == trouble_reply()
    assert get_settings().clinic.phone in down.replies[-1]["text"]

    port = int(stack.action_url.rsplit(":", 1)[1])
    restarted = start_action_server(port, env)
    try:
        wait_for_action_server(port, restarted)
        back = bot.say(sender, "can I talk to a real person")
        assert "action_handoff_to_human" in back.actions
        assert back.replies[-1]["text"] != trouble_reply()
    finally:
        restarted.terminate()
        restarted.wait(timeout=15)
