"""`make run`: start the assistant and tell the user how to talk to it."""

from __future__ import annotations

import os
import sys

from tools.model import model_path
from tools.profiles import ProfileError, profile_name
from tools.stack import running_stack, serve_until_stopped, stop_on_sigterm


def main() -> int:
    model = model_path()
    if not model.exists():
        print("No trained model for the current data; run `make run` (it trains first).")
        return 1
    port = int(os.environ.get("SPROUT_PORT", "5005"))
    action_port = int(os.environ.get("SPROUT_ACTION_PORT", "5055"))
    token = os.environ.get("SPROUT_API_TOKEN")
    host = os.environ.get("SPROUT_HOST", "127.0.0.1")
    print(
        f"==> Starting the action server and Rasa, profile {profile_name()} "
        "(loading the model takes about a minute)"
    )
    try:  # a ProfileError is raised before anything starts
        with running_stack(
            model, port=port, action_port=action_port, token=token, host=host
        ) as stack:
            print(
                "\nSprout is running. Talk to it with:\n\n"
                f"  curl -s -X POST {stack.url}/webhooks/rest/webhook \\\n"
                "       -H 'Content-Type: application/json' \\\n"
                '       -d \'{"sender": "parent-1", "message": "does insurance cover PT?"}\'\n\n'
                "or open the website chat widget's demo page in a browser:\n\n"
                f"  {stack.url}/webhooks/website/demo\n\n"
                f"HTTP API token (for /conversations/<sender>/tracker): {stack.token}\n"
                "Press Ctrl-C to stop both servers.\n",
                flush=True,
            )
            serve_until_stopped(
                lambda: all(process.poll() is None for process in stack.processes),
                "A server stopped unexpectedly; shutting down.",
            )
    except ProfileError as error:
        print(f"Cannot start: {error}.", file=sys.stderr)
        return 2
    print("Stopped.")
    return 0


if __name__ == "__main__":
    stop_on_sigterm()
    sys.exit(main())
