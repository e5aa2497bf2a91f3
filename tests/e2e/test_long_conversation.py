"""A long conversation answers the same whether Rasa sees the whole history or the window.

The trained model runs in this process twice over the same script: once with
Rasa's own in-memory store (every event replayed each turn) and once with
Sprout's windowed store cut to a few turns, both calling the real action server.
"""

from __future__ import annotations

import re
from pathlib import Path

from rasa.core.agent import Agent, load_agent
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.tracker_store import FailSafeTrackerStore, InMemoryTrackerStore
from rasa.core.utils import AvailableEndpoints
from rasa.utils.endpoints import EndpointConfig

from storage.conversation_store import WindowedTrackerStore
from tools.stack import Stack

CYCLE = [
    "how much does a session cost?",
    "my 9 month old isn't crawling and hates tummy time",
    "I'd like to book a free consultation",
    "Maria Lopez",
    "Leo",
    "9 months",
    "maria@example.com",
    "at home please",
    "what is occupational therapy?",
    "he isn't crawling yet",
    "yes",
]
REFERENCE = re.compile(r"SPR-[0-9A-Z]{4}")


async def replies_for(agent: Agent, sender: str, turns: int) -> list[list[str]]:
    replies = []
    for number in range(turns):
        output = CollectingOutputChannel()
        await agent.handle_message(UserMessage(CYCLE[number % len(CYCLE)], output, sender))
        replies.append([REFERENCE.sub("SPR-####", m.get("text") or "") for m in output.messages])
    return replies


async def test_windowed_history_gives_the_same_answers(trained_model: Path, stack: Stack) -> None:
    action = EndpointConfig(url=f"{stack.action_url}/webhook")
    agent = await load_agent(str(trained_model), endpoints=AvailableEndpoints(action=action))
    turns = 3 * len(CYCLE)

    agent.tracker_store = FailSafeTrackerStore(InMemoryTrackerStore(agent.domain))
    agent.processor.tracker_store = agent.tracker_store
    full_history = await replies_for(agent, "long-full", turns)

    windowed = WindowedTrackerStore(agent.domain, keep_turns=4)
    agent.tracker_store = FailSafeTrackerStore(windowed)
    agent.processor.tracker_store = agent.tracker_store
    window = await replies_for(agent, "long-window", turns)

    assert window == full_history
    bookings = sum("SPR-####" in " ".join(turn) for turn in window)
    assert bookings == 3  # each cycle ends in a stored booking
    full_tracker = await windowed.retrieve_full_tracker("long-window")
    shown = await windowed.retrieve("long-window")
    assert len(shown.events) < len(full_tracker.events) / 3
    assert sum(e.type_name == "user" for e in full_tracker.events) == turns
