"""ui/heap.py: what is alive at a load is frozen out of full collections, and a cycle frozen
at one load that dies afterwards is still collected at the next."""

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
