"""campuscard-gui: open, freeze, unfreeze and cancel campus cards in bulk."""

__version__ = "0.1.0"
