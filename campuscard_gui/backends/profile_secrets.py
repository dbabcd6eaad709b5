"""Saving a profile together with its secrets, the same way for campuscard-cli and the profile
dialog: the keyring first, then the profile, then the secrets it no longer needs."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Mapping

from ..config.credentials import MISSING, CredentialError, CredentialStore, missing_message
from ..config.settings import ConfigStore, Profile
from ..core.errors import CampusCardError
from . import secret_keys

log = logging.getLogger(__name__)


def save_with_secrets(config: ConfigStore, credentials: CredentialStore, profile: Profile,
                      typed: Mapping[str, str]) -> int:
    """Save ``profile`` and the secrets it needs (``secret_keys``): the ``typed`` ones go to
    the keyring, the others must be stored already (else ``CredentialError`` MISSING). When
    the keyring refuses, the profile is not saved. A new profile whose file cannot be written takes
    its secrets back out. Afterwards the secrets the profile no longer needs (a kintone
    profile switched from API tokens to a password) are removed; returns how many."""
    needed = secret_keys(profile.kind, profile.options)
    given = {key: typed[key].strip() for key in needed if typed.get(key, "").strip()}
    for key in needed:
        if key not in given and not credentials.has(profile.name, key):
            raise CredentialError(missing_message(profile.name, key), code=MISSING)
    existed = profile.name in config.load_profiles()
    try:
        for key, secret in given.items():
            credentials.set(profile.name, secret, key)
        config.save_profile(profile)
    except BaseException:
        if not existed and given:  # no profile, so no secrets either
            with contextlib.suppress(CampusCardError):
                credentials.delete(profile.name)
        raise
    if not existed and not needed:  # e.g. a new local profile: the keyring is not touched
        return 0
    try:
        return credentials.delete(profile.name, keep=needed)
    except CredentialError as exc:  # saved all the same; the stale entry is harmless
        log.warning("stale secrets of profile %s not removed: %s", profile.name, exc.code)
        return 0
