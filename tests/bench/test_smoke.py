"""The serving benchmark's code, run on a handful of requests so it keeps working.

Only that it runs and measures something is checked here; the figures themselves
come from `make bench`, never from a timed test.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import psutil
import pytest

from bench import channels, load, quality, serve
from bench.serve import Meter, Plan, run_phases, sprout_mix
from tests.channels.sms_fixtures import SmsStack
from tests.channels.sms_twilio_standin import AUTH_TOKEN, PUBLIC_URL
from tools.stack import Stack

TINY = Plan(
    fresh_messages=3,
    conversations=1,
    clients=2,
    duration_s=0.5,
    long_turns=4,
    checkpoints=(1, 4),
    phase_limit_s=120,
)


def test_every_phase_runs_against_the_live_assistant(stack: Stack) -> None:
    meter = Meter({"actions": stack.processes[0], "rasa": stack.processes[1]})
    phases = run_phases(stack, sprout_mix(), TINY, meter, "smoke")

    assert set(phases) == {
        "serial_fresh",
        "nlu_parse",
        "serial_conversation",
        "concurrent",
        "long_conversation",
    }
    for name, phase in phases.items():
        assert phase["messages"] > 0, name
        assert phase["errors"] == 0, name
        assert phase["latency_s"]["p50"] is not None, name
    assert phases["serial_fresh"]["messages"] == TINY.fresh_messages
    assert phases["serial_fresh"]["cpu_per_message_ms"] > 0
    assert set(phases["long_conversation"]["checkpoints"]) == {"1", "4"}


def test_the_load_generator_only_targets_the_loopback_address() -> None:
    assert load.ensure_local("http://127.0.0.1:5005/") == "http://127.0.0.1:5005"
    with pytest.raises(ValueError):
        load.ensure_local("http://10.0.0.5:5005")


def test_sms_round_trips_get_twiml_answers(sms_stack: SmsStack) -> None:
    result = channels.sms_round_trips(
        sms_stack.stack.url,
        [["hello", "do you take insurance?"]],
        60,
        auth_token=AUTH_TOKEN,
        public_url=PUBLIC_URL,
    )
    assert len(result.samples) == 2
    assert all(s.ok and s.replies >= 1 for s in result.samples)


def test_sms_round_trips_count_a_refused_signature_as_an_error(sms_stack: SmsStack) -> None:
    result = channels.sms_round_trips(
        sms_stack.stack.url, [["hello"]], 60, auth_token="wrong", public_url=PUBLIC_URL
    )
    assert [s.ok for s in result.samples] == [False]


def test_widget_round_trips_time_the_first_reply(stack: Stack) -> None:
    result = channels.widget_round_trips(stack.url, [["hi", "do you take insurance?"]], 60)
    assert [s.ok for s in result.samples] == [True, True]
    assert all(0 < s.seconds < 30 for s in result.samples)


def test_quality_figures_come_from_the_held_out_sets(stack: Stack) -> None:
    nlu = quality.nlu_holdout(stack.url, stack.token)
    assert nlu["messages"] > 300
    assert 0.9 <= nlu["intent_accuracy"] <= 1.0
    triage = quality.triage_cases()
    assert triage["cases"] >= 80
    assert 0.9 <= triage["accuracy"] <= 1.0


def test_the_training_record_is_kept_per_training_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A change to the speed-ups or the components means timing a fresh training again."""
    for package in serve.TRAINING_CODE:
        (tmp_path / package).mkdir()
        (tmp_path / package / "module.py").write_text("x = 1\n", encoding="utf-8")
    monkeypatch.setattr(serve, "ROOT", tmp_path)
    first = serve.training_code_hash()
    assert serve.training_code_hash() == first
    (tmp_path / "sprout" / "module.py").write_text("x = 2\n", encoding="utf-8")
    changed = serve.training_code_hash()
    assert changed != first
    (tmp_path / "data.txt").write_text("not code\n", encoding="utf-8")
    assert serve.training_code_hash() == changed


def test_server_cpu_is_read_to_well_under_a_clock_tick() -> None:
    """A process's CPU time is read exactly, not in 10 ms ticks, so 10-turn windows are fair."""
    burner = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "while time.process_time() < 0.437: pass\n"
            "print(time.process_time(), flush=True)\n"
            "sys.stdin.read()\n",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert burner.stdout is not None
        own_figure = float(burner.stdout.readline())  # it now waits, using no CPU
        measured = serve.process_cpu_seconds(psutil.Process(burner.pid))
    finally:
        burner.kill()
        burner.wait()
    assert abs(measured - own_figure) < 0.002
