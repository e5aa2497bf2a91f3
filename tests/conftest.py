"""Shared fixtures: the real trained model and a real running assistant."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.bot_client import BotClient
from tools.model import ensure_model
from tools.stack import Stack, running_stack

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def trained_model() -> Path:
    """The model for the current data: reused when its inputs are unchanged."""
    return ensure_model()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A fresh SQLite booking database for this test session."""
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'sprout.db'}"


@pytest.fixture(scope="session")
def stack(
    trained_model: Path, database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stack]:
    """Sprout's action server and Rasa server, started once for the session."""
    logs = tmp_path_factory.mktemp("logs")
    with running_stack(
        trained_model, env={"SPROUT_DATABASE_URL": database_url}, log_dir=logs
    ) as running:
        yield running


@pytest.fixture(scope="session")
def bot(stack: Stack) -> BotClient:
    return BotClient(stack.url, stack.token)


@pytest.fixture
def sender(bot: BotClient) -> str:
    return bot.new_sender()
