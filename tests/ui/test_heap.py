"""ui/heap.py: what is alive at a load is frozen out of full collections, a cycle frozen
at one load that dies afterwards is still collected at the next, and glibc's malloc arenas
are capped at start."""

from __future__ import annotations

import gc
import weakref


class Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the cyclic collector frees it


def test_loaded_objects_are_frozen_and_dead_cycles_collected_at_the_next_load():
    from campuscard_gui.ui.heap import settle_after_load

    try:
        node = Node()
        ref = weakref.ref(node)
        settle_after_load()
        assert gc.get_freeze_count() > 0
        del node
        gc.collect()
        assert ref() is not None  # frozen: full passes skip it (and its garbage)
        settle_after_load()  # the next load unfreezes first
        assert ref() is None
    finally:
        gc.unfreeze()


def test_the_malloc_arenas_are_capped_on_glibc_and_left_alone_elsewhere():
    import platform
    import sys

    from campuscard_gui.ui.heap import limit_malloc_arenas

    glibc = sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc"
    assert limit_malloc_arenas() is glibc
