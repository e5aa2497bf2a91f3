"""The widget's Vitest unit tests, run from pytest so `make test` covers them too."""

from __future__ import annotations

import subprocess

from tests.widget.support import WIDGET_DIR, ensure_node_modules


def test_widget_unit_tests_pass() -> None:
    ensure_node_modules()
    result = subprocess.run(
        ["npm", "test", "--silent"],
        cwd=WIDGET_DIR,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
