"""Profiles and settings (non-secret, JSON in the config dir) and the platform paths."""

from .paths import Paths
from .settings import LOCAL_PROFILE, ConfigStore, Profile, Settings

__all__ = ["Paths", "LOCAL_PROFILE", "ConfigStore", "Profile", "Settings"]
