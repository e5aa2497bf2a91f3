"""Build the widget once per test session, the same way `make widget` does."""

from __future__ import annotations

import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WIDGET_DIR = ROOT / "widget"
WIDGET_JS = WIDGET_DIR / "dist" / "widget.js"


@lru_cache(maxsize=1)
def ensure_widget_built() -> Path:
    """Run `make widget` (a no-op when dist is newer than the sources) and return widget.js."""
    if shutil.which("npm") is None:
        raise RuntimeError("npm is needed to build the website widget")
    subprocess.run(["make", "-s", "widget"], cwd=ROOT, check=True, timeout=600)
    if not WIDGET_JS.is_file():
        raise RuntimeError(f"{WIDGET_JS} was not built")
    return WIDGET_JS


def ensure_node_modules() -> None:
    """Install the locked npm dependencies if a checkout has none yet."""
    if not (WIDGET_DIR / "node_modules" / ".bin" / "vitest").exists():
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=WIDGET_DIR,
            check=True,
            timeout=600,
        )
