"""The bundle's campuscard-cli executable (tools/build_bundle.py)."""

import sys

from campuscard_gui.cli import main

sys.exit(main())
