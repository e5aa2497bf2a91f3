"""Deliver pending clinic notifications: `python -m notify [--watch SECONDS]`.

The action server delivers right after each booking; run this from cron or
with --watch to retry whatever could not be delivered then.
"""

from __future__ import annotations

import argparse
import time

from actions.wiring import get_outbox, get_sender
from notify.dispatch import deliver_due


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--watch", type=float, default=0, help="repeat every N seconds")
    args = parser.parse_args()
    while True:
        result = deliver_due(get_outbox(), get_sender())
        print(f"sent {result.sent}, failed {result.failed}", flush=True)
        if not args.watch:
            return 0 if result.failed == 0 else 1
        time.sleep(args.watch)


if __name__ == "__main__":
    raise SystemExit(main())
