"""Listing a profile's students through its kept snapshot: the one path the window and
``campuscard-cli students`` share (no Qt here; call it off the GUI thread).

A remote profile's last listing is kept (``config.snapshots``) with the connector's mark
(``connectors.base.DeltaListing``). When the connector can refresh and the snapshot has a
mark, only what changed since is read and merged into the kept rows; otherwise (no
snapshot, ``fresh``, a backend that cannot tell changes, or one that says a full listing is
needed) the students are listed in full. Either way the result is kept as the new snapshot.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from ..config.snapshots import Snapshot, SnapshotStore
from ..connectors.base import Connector, ListProgress
from ..core.model import StudentRow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Listing:
    rows: list[StudentRow]
    refreshed: bool  # True: the snapshot brought up to date; False: listed in full


def list_students(connector: Connector, store: SnapshotStore | None, profile: str,
                  progress: ListProgress | None = None, *, fresh: bool = False,
                  snapshot: Snapshot | None = None) -> Listing:
    """The profile's students (see the module doc). ``store`` None: no snapshot (the local
    backend keeps its own database). ``snapshot``: the one already loaded (the window shows
    it while this runs); else it is loaded here."""
    if store is None or connector.local_database() is not None:
        return Listing(connector.list_rows(progress), False)
    delta = connector.delta_listing()
    why = "asked for a full listing"
    if delta is None:
        why = "the backend cannot tell what changed"
    elif not fresh:
        kept = snapshot if snapshot is not None else store.load(profile)
        why = "no snapshot with a mark"
        if kept is not None and kept.mark:
            started = time.monotonic()
            rows = delta.refresh_rows(kept.rows, kept.mark, progress)
            if rows is not None:
                log.info("listing: %s refreshed from its snapshot in %.1f s", connector.kind,
                         time.monotonic() - started)
                _keep(store, profile, rows, delta.listing_mark())
                return Listing(rows, True)
            why = "the backend found changes it cannot merge (e.g. deletions)"
    started = time.monotonic()
    rows = connector.list_rows(progress)
    log.info("listing: %s listed in full in %.1f s (%s)", connector.kind,
             time.monotonic() - started, why)
    _keep(store, profile, rows, delta.listing_mark() if delta is not None else "")
    return Listing(rows, False)


def _keep(store: SnapshotStore, profile: str, rows: list[StudentRow], mark: str) -> None:
    try:
        store.save(profile, rows, mark=mark)
    except OSError as exc:  # the rows are read all the same; the next opening lists in full
        log.warning("snapshot not saved: %s", type(exc).__name__)
