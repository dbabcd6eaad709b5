"""The bundle's campuscard-gui executable (tools/build_bundle.py)."""

import sys

from campuscard_gui.app import main

sys.exit(main())
