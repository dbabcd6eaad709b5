"""``python -m campuscard_gui.cli``: the same as ``campuscard-cli``."""

import sys

from .commands import main

sys.exit(main())
