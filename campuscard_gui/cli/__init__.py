"""``campuscard-cli``: the same jobs as the window, for scripts. ``main`` parses and runs a
command (``commands.py``); ``profiles`` and ``profile_kinds`` are ``profiles …`` (the kinds' flags
come from the backends' registrations), ``local`` the local database's own commands,
``common`` what every command shares (exit codes, the JSON error object), ``output`` tables,
JSON and progress."""

from .commands import main

__all__ = ["main"]
