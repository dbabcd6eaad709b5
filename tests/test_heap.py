"""ui/heap.py without a window: the malloc arena cap the program sets at start."""

from __future__ import annotations

import platform
import sys

from campuscard_gui.ui.heap import limit_malloc_arenas


def test_the_malloc_arenas_are_capped_on_glibc_and_left_alone_elsewhere() -> None:
    glibc = sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc"
    assert limit_malloc_arenas() is glibc

