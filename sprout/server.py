"""`python -m sprout.server run ...`: Rasa's own command line, with Sprout's speed-ups.

Takes exactly the arguments of `rasa` (run, train, shell, ...). Deployments start
Rasa this way instead of `rasa run` so the changes in sprout.speedups are active.
"""

from __future__ import annotations

import os
import sys
from collections.abc import MutableMapping, Sequence

from rasa.__main__ import main as rasa_main

from sprout import speedups

# Rasa reads these when it starts and sizes TensorFlow's thread pools from them.
SERVING_THREADS = {
    "TF_INTER_OP_PARALLELISM_THREADS": "1",
    "TF_INTRA_OP_PARALLELISM_THREADS": "1",
}


def serve_on_one_thread(argv: Sequence[str], environ: MutableMapping[str, str]) -> None:
    """Serve with TensorFlow's smallest pools, unless the environment says otherwise.

    A message's prediction graphs are a few small matrix products; handing their ops
    to pools as large as the machine cost more CPU than it saved (measured with
    `make bench`'s load: about 5% more messages per second on one pool thread).
    Training is left alone: `make train` and its child processes set their own threads.
    """
    if len(argv) > 1 and argv[1] == "run":
        for name, value in SERVING_THREADS.items():
            environ.setdefault(name, value)


def main() -> None:
    serve_on_one_thread(sys.argv, os.environ)
    speedups.apply()
    rasa_main()


if __name__ == "__main__":
    main()
