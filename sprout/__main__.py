"""`python -m sprout ...` runs the staff command line (the same as `sprout ...`)."""

import sys

from sprout.cli import main

sys.exit(main())
