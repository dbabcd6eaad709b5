"""The bundle's campuscard-sandbox executable, the rehearsal servers (tools/build_bundle.py)."""

import sys

from campuscard_gui.sandbox.cli import main

sys.exit(main())
