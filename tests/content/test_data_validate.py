"""`rasa data validate` finds no problems in the training data and domain."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Rasa 3.6 merges the retrieval intent declared in the domain with the one its
# response selector derives from data/nlu/faq.yml and reports the name twice.
# Leaving `faq` out of the domain instead makes the rules invalid, so this one
# notice is expected; any other warning fails the test.
KNOWN_RASA_NOTICE = "duplicated intents have been found across multiple domain files: faq"


def test_rasa_data_validate_is_clean() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "rasa", "data", "validate", "--fail-on-warnings"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    warnings = [
        line
        for line in output.splitlines()
        if "UserWarning" in line and KNOWN_RASA_NOTICE not in line
    ]
    assert warnings == []
    assert "No story structure conflicts found" in output
