"""`python -m sprout.server run ...`: Rasa's own command line, with Sprout's speed-ups.

Takes exactly the arguments of `rasa` (run, train, shell, ...). Deployments start
Rasa this way instead of `rasa run` so the changes in sprout.speedups are active.
"""

from __future__ import annotations

from rasa.__main__ import main as rasa_main

from sprout import speedups


def main() -> None:
    speedups.apply()
    rasa_main()


if __name__ == "__main__":
    main()
