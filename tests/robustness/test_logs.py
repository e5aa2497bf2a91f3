"""Logs are JSON lines and never show a phone number, an email or a name."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sprout.logs import JsonFormatter, RedactingFilter, redact

ROOT = Path(__file__).resolve().parents[2]
LOGGING_FILE = ROOT / "sprout" / "logging.yml"

_digits = st.text("0123456789", min_size=10, max_size=10)
_FORMATS = [
    "+1 {0}{1}{2} {3}{4}{5} {6}{7}{8}{9}",
    "({0}{1}{2}) {3}{4}{5}-{6}{7}{8}{9}",
    "{0}{1}{2}-{3}{4}{5}-{6}{7}{8}{9}",
    "{0}{1}{2}.{3}{4}{5}.{6}{7}{8}{9}",
    "+1{0}{1}{2}{3}{4}{5}{6}{7}{8}{9}",
    "{0}{1}{2}{3}{4}{5}{6}{7}{8}{9}",
    "+44 {0}{1}{2}{3} {4}{5}{6}{7}{8}{9}",
]
_words = st.text("abcdefghij klmnop,:;!?", max_size=40)


@settings(max_examples=100, deadline=None)
@given(digits=_digits, shape=st.sampled_from(_FORMATS), before=_words, after=_words)
def test_phone_numbers_are_masked_however_written(
    digits: str, shape: str, before: str, after: str
) -> None:
    number = shape.format(*digits)
    line = redact(f"{before} {number} {after}")
    assert number not in line
    assert digits[-7:] not in line.replace(" ", "").replace("-", "").replace(".", "")
    assert "[phone]" in line


@settings(max_examples=100, deadline=None)
@given(email=st.emails(), before=_words)
def test_emails_are_masked(email: str, before: str) -> None:
    line = redact(f"{before} {email} and more")
    assert email not in line
    assert "[email]" in line


@pytest.mark.parametrize(
    "line",
    [
        "SlotSet(key: parent_name, value: Maria Lopez)",
        "{'parent_name': 'Maria Lopez', 'child_name': 'Leo'}",
        '{"text": "my son Leo can\'t hold a spoon", "intent": "describe_concern"}',
        "Received user message 'hi it's Maria Lopez' with intent '{'name': 'greet'}'",
        "my name is Maria Lopez",
        "contact=maria.lopez@example.com child_name=Leo",
        '{"slot_values": "\\tparent_name: Maria Lopez\\n\\tchild_name: Leo"}',
        "\tparent_name: Maria Lopez\n\tchild_name: Leo\n",
        "[state 3] user text: Maria Lopez | previous action name: action_listen",
        "BotUttered('Thanks, Maria Lopez. What is Leo's age?', {}, {}, 1.0)",
    ],
)
def test_names_and_free_text_are_masked(line: str) -> None:
    masked = redact(line)
    assert "Maria" not in masked and "Leo" not in masked and "spoon" not in masked


@pytest.mark.parametrize(
    "line",
    [
        "2026-11-29 09:36:08 started on 127.0.0.1:5005",
        "Rasa 3.6.21, rasa-sdk 3.6.2, confidence 0.95342123",
        "Predicted next action 'utter_faq' with confidence 0.97",
        "SMS SM0a1b2c3d4e5f67890 for sms-3f2a9c answered in 2 part(s)",
        "turn in the rest channel exceeded 30 s",
    ],
)
def test_operational_details_survive(line: str) -> None:
    assert redact(line) == line


def _record(message: str, *args: object, exc: BaseException | None = None) -> logging.LogRecord:
    exc_info = (type(exc), exc, exc.__traceback__) if exc else None
    return logging.LogRecord("sprout.test", logging.ERROR, __file__, 1, message, args, exc_info)


def test_a_record_becomes_one_json_line_with_the_exception_masked() -> None:
    try:
        raise ValueError("could not reach +1 555 010 0123 for jane@example.com")
    except ValueError as error:
        record = _record("booking for %s failed", "Maria's number 555-010-0123", exc=error)
    assert RedactingFilter().filter(record)
    line = JsonFormatter().format(record)
    entry = json.loads(line)
    assert "\n" not in line
    assert entry["level"] == "ERROR" and entry["logger"] == "sprout.test"
    assert entry["message"] == "booking for Maria's number [phone] failed"
    assert "ValueError" in entry["exception"] and "Traceback" in entry["exception"]
    assert "555" not in line and "jane@" not in line


def test_rasa_style_setup_keeps_one_redacted_console_handler() -> None:
    """Rasa applies the logging file, then installs coloredlogs on the root logger."""
    script = f"""
import logging, coloredlogs
from rasa.utils.common import configure_logging_from_file
configure_logging_from_file({str(LOGGING_FILE)!r})
coloredlogs.install(level="INFO")
logging.getLogger("rasa.core.processor").info("parent at %s wrote", "+1 555 010 0123")
logging.getLogger("sanic.root").warning("email jane@example.com")
"""
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    lines = [line for line in done.stderr.splitlines() if line.startswith("{")]
    entries = [json.loads(line) for line in lines]
    assert [e["message"] for e in entries] == ["parent at [phone] wrote", "email [email]"]
    assert "555 010" not in done.stderr and "jane@" not in done.stderr
