"""What the tests' hand-made connectors declare about the abilities the Connector protocol
asks about (``connectors.base``): by default none."""

from __future__ import annotations

from campuscard_gui.connectors.base import Abilities


class NoAbilities(Abilities):
    """Mixed into a test connector: no list warnings, no card history, no field list, not
    the local database. A test connector that keeps card history overrides
    ``card_history``."""

    list_warnings: tuple[str, ...] = ()
