"""``python -m campuscard_gui``: the window, as ``campuscard-gui`` starts it."""

import sys

from .app import main

sys.exit(main())
