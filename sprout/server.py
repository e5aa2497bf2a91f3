"""`python -m sprout.server run ...`: Rasa's own command line, with Sprout's speed-ups.

Takes exactly the arguments of `rasa` (run, train, shell, ...). Deployments start
Rasa this way instead of `rasa run` so the changes in sprout.speedups are active.
Rasa and NumPy are imported inside `main`, after the thread settings below, because
the BLAS libraries read theirs when they load.
"""

from __future__ import annotations

import os
import sys
from collections.abc import MutableMapping, Sequence

# Rasa sizes TensorFlow's pools from the first two when it starts; NumPy's and SciPy's
# OpenBLAS read the third when they load.
SERVING_THREADS = {
    "TF_INTER_OP_PARALLELISM_THREADS": "1",
    "TF_INTRA_OP_PARALLELISM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
}


def serve_on_one_thread(argv: Sequence[str], environ: MutableMapping[str, str]) -> None:
    """Serve with one thread per math library, unless the environment says otherwise.

    A message's networks are a few small matrix products. Handing them to thread
    pools as large as the machine cost more CPU than it saved: with TensorFlow's
    default pools the server answered about 5% fewer messages per second (measured
    with `make bench`'s load), and OpenBLAS's threads, which spin while they wait for
    work, took most of the other core for the NumPy sentence path
    (`sprout.sentence_forward`). Training is left alone: `make train` and its child
    processes set their own threads.
    """
    if len(argv) > 1 and argv[1] == "run":
        for name, value in SERVING_THREADS.items():
            environ.setdefault(name, value)


def main() -> None:
    serve_on_one_thread(sys.argv, os.environ)
    from rasa.__main__ import main as rasa_main

    from sprout import speedups

    speedups.apply()
    rasa_main()


if __name__ == "__main__":
    main()
