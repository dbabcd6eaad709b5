"""campuscard-gui: open, freeze, unfreeze and cancel campus cards in bulk."""

from importlib import metadata

try:  # one source of the version: the package's metadata (pyproject.toml's ``version``)
    __version__ = metadata.version("campuscard-gui")
except metadata.PackageNotFoundError:  # a source tree that was never installed
    __version__ = "0+unknown"
