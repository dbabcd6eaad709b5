"""Where config, data and logs live: the platform's directories, overridable for tests and
portable installs by CAMPUSCARD_CONFIG_DIR and CAMPUSCARD_DATA_DIR (logs go under the data dir
when it is overridden)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "campuscard-gui"
CONFIG_ENV = "CAMPUSCARD_CONFIG_DIR"
DATA_ENV = "CAMPUSCARD_DATA_DIR"


@dataclass(frozen=True, slots=True)
class Paths:
    config_dir: Path
    data_dir: Path
    log_dir: Path

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Paths:
        env = os.environ if environ is None else environ
        config = env.get(CONFIG_ENV) or platformdirs.user_config_dir(APP_NAME, appauthor=False)
        data_override = env.get(DATA_ENV)
        data = data_override or platformdirs.user_data_dir(APP_NAME, appauthor=False)
        logs = (
            str(Path(data_override) / "logs")
            if data_override
            else platformdirs.user_log_dir(APP_NAME, appauthor=False)
        )
        return cls(Path(config), Path(data), Path(logs))

    def ensure(self) -> Paths:
        for p in (self.config_dir, self.data_dir, self.log_dir):
            p.mkdir(parents=True, exist_ok=True)
        return self

    @property
    def journal_path(self) -> Path:
        return self.data_dir / "journal.sqlite3"

    @property
    def settings_path(self) -> Path:
        return self.config_dir / "settings.json"

    @property
    def profiles_path(self) -> Path:
        return self.config_dir / "profiles.json"

    def local_db_path(self, profile_name: str = "local") -> Path:
        safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in profile_name)
        return self.data_dir / f"{safe}.sqlite3"
