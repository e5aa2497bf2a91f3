"""The production profile behind HAProxy: shared conversations, per-conversation order, failover.

The tests share one cluster and run in this order; the last one kills a Rasa
server, so it must stay last.
"""

from __future__ import annotations

import itertools
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests

from tests.cluster.chat import (
    Reply,
    Script,
    duplicates,
    say,
    stored_bookings,
    stored_events,
    tracker,
    turns,
)
from tools.cluster import Cluster
from tools.scratch import Scratch, lock_keys, queue_depth

pytestmark = [pytest.mark.model, pytest.mark.server]

BOOKERS = (
    ("Maria Lopez", "Leo", "9 months", "maria@example.com", "at home please"),
    ("Sam Patel", "Ava", "2 yrs", "(212) 555-0147", "in the clinic"),
    ("Jo Kim", "Noah", "14 months", "jo.kim@example.org", "a video call is easiest"),
)
CONCERN = "he isn't crawling yet and hates tummy time"
REFERENCE = re.compile(r"SPR-[A-Z0-9]{4}")
FORM_STEPS = ("parent_name", "child_name", "child_age", "contact", "visit_type", "concern")
FAQ_QUESTIONS = (
    "does insurance cover PT?",
    "what is occupational therapy",
    "how many sessions will my baby need",
    "is physical therapy safe for a newborn",
    "can we do sessions online",
    "my baby hates tummy time what can I do",
    "what's the difference between PT and OT",
    "what ages do you work with",
    "what happens at the first session",
    "what are the benefits of infant physical therapy",
)


def booking_script(sender: str, index: int) -> Script:
    parent, child, age, contact, visit = BOOKERS[index % len(BOOKERS)]
    messages = ["I want to book a consultation", parent, child, age, contact, visit, CONCERN]
    return Script(sender, [*messages, "yes", "thanks"])


def faq_script(sender: str, index: int) -> Script:
    questions = FAQ_QUESTIONS[index % 5 :]
    return Script(
        sender,
        ["hi", questions[0], "my 2 year old can't walk up stairs and falls a lot", questions[1]],
    )


def parts(bot_events: list[dict[str, Any]]) -> list[str]:
    """Bot texts split the way the REST channel splits them into replies."""
    return [
        part.strip()
        for event in bot_events
        for part in (event.get("text") or "").strip().split("\n\n")
        if part.strip()
    ]


def check_stored_conversation(
    scratch: Scratch, script: Script, killed_at: float | None = None, exactly_once: bool = False
) -> list[str]:
    """Every answered message is stored, in order, with exactly the replies the client got.

    Without message ids, a message may be stored twice in a row only when it was in
    flight on the server killed at `killed_at` (that server had written the turn but
    died before answering, and HAProxy replayed it). With message ids (`exactly_once`)
    the replay is answered from the stored turn, so every message is stored once.
    Returns the messages stored twice.
    """
    events = stored_events(scratch.database_url, script.sender)
    assert duplicates(events) == [], f"{script.sender}: events stored twice"
    stored = turns(events)
    for _, after in stored:
        # Turns are stored whole: each ends by listening for the next message.
        assert after and (after[-1]["event"], after[-1].get("name")) == ("action", "action_listen")
    position, replayed = 0, []
    for reply in script.replies:
        copies = []
        while position < len(stored) and stored[position][0]["text"] == reply.message:
            copies.append(stored[position])
            position += 1
        assert copies, f"{script.sender}: {reply.message!r} is not stored"
        if len(copies) > 1:
            assert not exactly_once, f"{script.sender}: {reply.message!r} stored twice"
            assert killed_at and reply.sent_at < killed_at < reply.answered_at, reply.message
            replayed.append(reply.message)
        # The client's replies are the last run's: the answer it actually got.
        bots = [e for e in copies[-1][1] if e["event"] == "bot"]
        assert parts(bots) == [t.strip() for t in reply.texts if t.strip()], reply.message
    assert position == len(stored), f"{script.sender}: stored turns nobody sent"
    return replayed


def test_conversations_spread_over_both_servers_and_stay_coherent(
    cluster: Cluster, scratch: Scratch
) -> None:
    """One booking, each message through HAProxy: round robin alternates the servers."""
    script = booking_script("cluster-coherent", 0)
    direct = [f"http://127.0.0.1:{r.port}" for r in cluster.rasa]
    expected_requested = [*FORM_STEPS, "booking_confirmed"]
    with requests.Session() as session:
        for turn, message in enumerate(script.messages):
            reply = say(session, cluster.url, script.sender, message)
            assert reply.status == 200 and reply.texts, message
            script.replies.append(reply)
            # Read back from the *other* server: both see one conversation.
            other = direct[1 - int(reply.instance.rsplit("-", 1)[1])]
            state = tracker(other, cluster.token, script.sender)
            if turn < len(expected_requested):
                assert state["active_loop"].get("name") == "consultation_form"
                assert state["slots"]["requested_slot"] == expected_requested[turn]
            if 1 <= turn <= len(FORM_STEPS):
                # Slots filled on one server are there on the other.
                filled = FORM_STEPS[:turn]
                assert all(state["slots"][slot] for slot in filled), (turn, state["slots"])

    assert {r.instance for r in script.replies} == {"rasa-0", "rasa-1"}
    answered_by = [r.instance for r in script.replies]
    assert all(a != b for a, b in itertools.pairwise(answered_by)), answered_by

    final = tracker(cluster.url, cluster.token, script.sender)
    reference = final["slots"]["booking_reference"]
    assert REFERENCE.fullmatch(reference)
    assert final["active_loop"] in ({}, None) or not final["active_loop"].get("name")
    check_stored_conversation(scratch, script)
    assert stored_bookings(scratch.database_url, script.sender) == [(reference, "Leo")]
    # The event broker got the conversation's events; the locks were released.
    assert queue_depth(scratch) >= len(stored_events(scratch.database_url, script.sender))
    assert lock_keys(scratch) == []


def test_concurrent_messages_to_one_conversation_are_processed_one_at_a_time(
    cluster: Cluster, scratch: Scratch
) -> None:
    """Ten questions at once, alternately to each server: none lost, none interleaved."""
    sender = "cluster-concurrent"
    direct = [f"http://127.0.0.1:{r.port}" for r in cluster.rasa]
    with requests.Session() as session:
        assert say(session, cluster.url, sender, "hi").status == 200
    start = threading.Barrier(len(FAQ_QUESTIONS))

    def send(index: int) -> Reply:
        with requests.Session() as session:
            start.wait()
            return say(session, direct[index % 2], sender, FAQ_QUESTIONS[index])

    with ThreadPoolExecutor(len(FAQ_QUESTIONS)) as pool:
        replies = list(pool.map(send, range(len(FAQ_QUESTIONS))))
    assert [r.status for r in replies] == [200] * len(replies)
    assert all(r.texts for r in replies)

    events = stored_events(scratch.database_url, sender)
    assert duplicates(events) == []
    stored = turns(events)[1:]  # after the greeting
    assert sorted(user["text"] for user, _ in stored) == sorted(FAQ_QUESTIONS)
    by_text = {r.message: r for r in replies}
    for user, after in stored:
        # Each turn is complete before the next user message: its own answer, then listen.
        assert after[-1]["event"] == "action" and after[-1]["name"] == "action_listen"
        bots = [e for e in after if e["event"] == "bot"]
        assert parts(bots) == [t.strip() for t in by_text[user["text"]].texts if t.strip()]
        if user["parse_data"]["intent"]["name"] == "faq":
            selected = user["parse_data"]["response_selector"]["faq"]["response"]
            key = selected["intent_response_key"]
            assert bots[0]["metadata"]["utter_action"] == f"utter_{key}"
    assert lock_keys(scratch) == []


def test_a_killed_server_loses_no_conversation_event_or_booking(
    cluster: Cluster, scratch: Scratch
) -> None:
    """SIGKILL rasa-1 while 20 conversations (10 inside the booking form) are running."""
    scripts = [
        booking_script(f"cluster-fail-b{i}", i)
        if i % 2 == 0
        else faq_script(f"cluster-fail-f{i}", i)
        for i in range(20)
    ]
    answered = 0
    counter = threading.Lock()
    kill_now = threading.Event()
    kill_after = 30  # answers: every booking is inside its form by then

    def play(script: Script) -> None:
        nonlocal answered
        with requests.Session() as session:
            for number, message in enumerate(script.messages):
                message_id = f"{script.sender}:{number}"
                script.replies.append(say(session, cluster.url, script.sender, message, message_id))
                with counter:
                    answered += 1
                    if answered >= kill_after:
                        kill_now.set()

    with ThreadPoolExecutor(len(scripts)) as pool:
        running = [pool.submit(play, s) for s in scripts]
        assert kill_now.wait(timeout=600), "the conversations never got going"
        killed_at = time.monotonic()
        cluster.kill_rasa("rasa-1")
        for future in running:
            future.result()

    cluster.wait_for_states({"rasa/rasa-1": "DOWN", "rasa/rasa-0": "UP"})
    replies = [r for s in scripts for r in s.replies]
    assert any(r.instance == "rasa-1" for r in replies), "rasa-1 never served before the kill"
    unfinished = [s.sender for s in scripts if len(s.replies) < len(s.messages)]
    assert unfinished == []
    # Decided behaviour: HAProxy replays a request whose server died before answering,
    # so the client sees a normal answer for every message, never an error.
    failed = [
        (r.sender, r.message, r.status, r.error, round(r.sent_at - killed_at, 2))
        for r in replies
        if r.status != 200 or not r.texts
    ]
    assert failed == []
    assert {r.instance for r in replies if r.answered_at > killed_at + 1} <= {"rasa-0"}
    # Some forms were still open when the server died.
    assert any(
        s.sender.startswith("cluster-fail-b") and any(r.sent_at > killed_at for r in s.replies)
        for s in scripts
    )

    for script in scripts:
        # Each client sent its messages with ids: a replayed request is answered from
        # the stored turn, so no message is stored twice, even one in flight at the kill.
        check_stored_conversation(scratch, script, killed_at, exactly_once=True)
        # Every reference a family was given is stored exactly once, and nothing else.
        given = {m for r in script.replies for t in r.texts for m in REFERENCE.findall(t)}
        stored = [
            reference for reference, _ in stored_bookings(scratch.database_url, script.sender)
        ]
        assert sorted(stored) == sorted(given), script.sender
        expected = 1 if script.sender.startswith("cluster-fail-b") else 0
        assert len(stored) == expected, script.sender
