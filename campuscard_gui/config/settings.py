"""Non-secret settings and profiles, stored as JSON in the config dir.

Writes are atomic (temp file + rename) so a crash never leaves a half-written file. Secrets are
never stored here: they belong in the OS keyring (config/credentials, later issues).
"""

from __future__ import annotations

import dataclasses
import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..core.errors import ConfigError
from ..core.text import _
from .paths import Paths
from .snapshots import SnapshotStore

LOCAL_PROFILE = "local"


@dataclass(slots=True)
class Profile:
    """A backend kind and its non-secret settings."""

    name: str
    kind: str = "local"
    options: dict[str, Any] = field(default_factory=dict)


def option_defaults(options_class: type) -> dict[str, Any]:
    """The options a connector's options class (a dataclass such as ShenbiOptions) has defaults
    for: what a profile gets when it leaves them out. The CLI and the profile dialog read them
    here rather than keeping copies."""
    return {f.name: f.default for f in dataclasses.fields(options_class)
            if f.default is not dataclasses.MISSING}


@dataclass(slots=True)
class Settings:
    language: str = ""  # "" = follow the system locale; "zh_CN" or "en" override
    default_profile: str = LOCAL_PROFILE
    allow_open_non_enrolled: bool = False
    # a job writing at least this many records asks for the typed count, as 注销 always does
    # (0 = only 注销): 72,230 freezes must not be one click like 5
    mass_write_threshold: int = 500
    # how the window was left, read back and checked by ui/window/layout_memory.py: the
    # window's place and size (x, y, width, height, maximized) and, per profile, the table's
    # column widths, hidden columns, sort, the status filters and the splitter
    window: dict[str, Any] = field(default_factory=dict)
    layouts: dict[str, dict[str, Any]] = field(default_factory=dict)


def _atomic_write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, indent=2)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _read_json(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as fh:
            return json.load(fh)
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise ConfigError(_("配置文件无法读取：{path}（{kind}）").format(
            path=path, kind=exc.__class__.__name__)) from exc


class ConfigStore:
    """Reads and writes settings.json and profiles.json. The ``local`` profile always exists."""

    def __init__(self, paths: Paths) -> None:
        self.paths = paths

    def load_settings(self) -> Settings:
        raw = _read_json(self.paths.settings_path) or {}
        s = Settings()
        if isinstance(raw, dict):
            if isinstance(raw.get("language"), str):
                s.language = raw["language"]
            if isinstance(raw.get("default_profile"), str):
                s.default_profile = raw["default_profile"]
            if isinstance(raw.get("allow_open_non_enrolled"), bool):
                s.allow_open_non_enrolled = raw["allow_open_non_enrolled"]
            threshold = raw.get("mass_write_threshold")
            if isinstance(threshold, int) and not isinstance(threshold, bool) \
                    and threshold >= 0:
                s.mass_write_threshold = threshold
            if isinstance(raw.get("window"), dict):
                s.window = raw["window"]
            if isinstance(raw.get("layouts"), dict):
                s.layouts = {k: v for k, v in raw["layouts"].items() if isinstance(v, dict)}
        return s

    def save_settings(self, settings: Settings) -> None:
        _atomic_write_json(self.paths.settings_path, asdict(settings))

    def load_profiles(self) -> dict[str, Profile]:
        raw = _read_json(self.paths.profiles_path) or {}
        profiles: dict[str, Profile] = {LOCAL_PROFILE: Profile(LOCAL_PROFILE, "local")}
        if isinstance(raw, dict):
            for name, body in raw.items():
                if isinstance(body, dict) and isinstance(body.get("kind"), str):
                    opts = body.get("options")
                    options = opts if isinstance(opts, dict) else {}
                    profiles[name] = Profile(name, body["kind"], options)
        return profiles

    def save_profile(self, profile: Profile) -> None:
        profiles = self.load_profiles()
        profiles[profile.name] = profile
        _atomic_write_json(
            self.paths.profiles_path,
            {p.name: {"kind": p.kind, "options": p.options} for p in profiles.values()},
        )

    def check_removable(self, name: str) -> None:
        """Raise ConfigError when ``name`` cannot be removed: ``local``, or a profile another
        one reads through (an iPaaS profile's ``read_profile``). Callers check this before
        deleting the profile's secrets, so a refusal leaves everything as it was."""
        if name == LOCAL_PROFILE:
            raise ConfigError(_("本地配置“local”不能删除"))
        readers = sorted(p.name for p in self.load_profiles().values()
                         if p.options.get("read_profile") == name)
        if readers:
            raise ConfigError(_("配置“{name}”不能删除：{value}通过它读取学生和卡记录。请先删除或改"
                                "动这些配置。").format(
                name=name, value=_('、').join(f'“{r}”' for r in readers)))

    def remove_profile(self, name: str) -> bool:
        """Forget a profile (its secrets are the caller's business: CredentialStore.delete).
        Refused as ``check_removable`` says. Returns whether it existed."""
        self.check_removable(name)
        profiles = self.load_profiles()
        if profiles.pop(name, None) is None:
            return False
        _atomic_write_json(
            self.paths.profiles_path,
            {p.name: {"kind": p.kind, "options": p.options} for p in profiles.values()},
        )
        settings = self.load_settings()
        if settings.default_profile == name:
            settings.default_profile = LOCAL_PROFILE
            self.save_settings(settings)
        SnapshotStore(self.paths.data_dir).remove(name)  # its last listing: personal data
        return True

    def get_profile(self, name: str | None) -> Profile:
        name = name or self.load_settings().default_profile or LOCAL_PROFILE
        profiles = self.load_profiles()
        if name not in profiles:
            raise ConfigError(_("没有名为“{name}”的配置（可用：{value}）").format(
                name=name, value=_('、').join(sorted(profiles))))
        return profiles[name]
