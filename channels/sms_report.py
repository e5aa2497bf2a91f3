"""Show staff the texts that could not be delivered.

    python -m channels.sms_report              # the 50 most recent failures
    python -m channels.sms_report --days 7 --limit 20

Each row has Twilio's MessageSid (look it up in the Twilio console, which shows
the number) and the conversation id (open it with Rasa's tracker API), so this
report itself contains no phone numbers.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone

from storage.sms import DeliveryFailure, SmsStore

# Twilio error codes staff meet most, with what to do about them.
KNOWN_ERRORS = {
    "21610": "number has opted out (STOP)",
    "21614": "not a mobile number",
    "30003": "phone unreachable or switched off",
    "30004": "blocked by the recipient",
    "30005": "unknown or inactive number",
    "30006": "landline or unreachable carrier",
    "30007": "filtered as spam by the carrier",
    "30008": "unknown delivery error",
}


def format_report(failures: Sequence[DeliveryFailure]) -> str:
    """A plain table, newest first."""
    if not failures:
        return "No failed SMS deliveries."
    lines = [f"{'when (UTC)':<20} {'status':<12} {'error':<7} {'message sid':<36} conversation"]
    for failure in failures:
        code = failure.error_code or "-"
        hint = KNOWN_ERRORS.get(code, "")
        lines.append(
            f"{failure.recorded_at:%Y-%m-%d %H:%M:%S} {failure.status:<12} {code:<7} "
            f"{failure.message_sid:<36} {failure.conversation_key or '-'}"
            + (f"  ({hint})" if hint else "")
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="List recent failed SMS deliveries.")
    parser.add_argument("--limit", type=int, default=50, help="rows to show (default 50)")
    parser.add_argument("--days", type=float, default=None, help="only the last N days")
    parser.add_argument("--database-url", default=None, help="default: SPROUT_DATABASE_URL")
    args = parser.parse_args(argv)

    url = args.database_url
    if url is None:
        from sprout.settings import get_settings

        url = get_settings().database_url
    since = datetime.now(timezone.utc) - timedelta(days=args.days) if args.days else None
    store = SmsStore.from_url(url)
    print(format_report(store.recent_failures(limit=max(args.limit, 1), since=since)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
