"""Keep the cyclic garbage collector's full passes short while jobs run.

A job's worker threads allocate a lot (a 10,000-record read-back parses 10,000 records), which
triggers full collections; each stops every thread, the GUI thread included, for as long as it
takes to scan every tracked object — mostly the students just loaded. Measured with 10,000
students on 神笔: full collections of 30–45 ms and GUI timer gaps up to 90 ms during a job.

After a listing is loaded, :func:`settle_after_load` collects once and then freezes what
survives (``gc.freeze``): later full passes skip it (then 9–20 ms, gaps ≤ 23 ms). What was
frozen at the previous load is unfrozen first, so cycles that died since are still collected:
nothing stays uncollectable for longer than one load. Costs one full pass on the GUI thread
per load (~50 ms at 100,000 rows), when the table is being filled anyway.
"""

from __future__ import annotations

import gc


def settle_after_load() -> None:
    gc.unfreeze()
    gc.collect()
    gc.freeze()
