"""Paths honour the documented overrides; settings and profiles round-trip atomically."""

from __future__ import annotations

import json

import pytest

from campuscard_gui.config import LOCAL_PROFILE, ConfigStore, Paths, Profile
from campuscard_gui.core.errors import ConfigError


def test_env_overrides(tmp_path):
    paths = Paths.from_env({"CAMPUSCARD_CONFIG_DIR": str(tmp_path / "c"),
                            "CAMPUSCARD_DATA_DIR": str(tmp_path / "d")})
    assert paths.config_dir == tmp_path / "c"
    assert paths.data_dir == tmp_path / "d"
    assert paths.log_dir == tmp_path / "d" / "logs"
    assert paths.journal_path.parent == tmp_path / "d"
    assert paths.local_db_path("local") == tmp_path / "d" / "local.sqlite3"
    assert paths.local_db_path("../evil").parent == tmp_path / "d"


def test_platform_dirs_without_overrides():
    paths = Paths.from_env({})
    assert "campuscard-gui" in str(paths.config_dir)
    assert "campuscard-gui" in str(paths.data_dir)


def test_local_profile_always_exists_and_is_default(paths):
    store = ConfigStore(paths)
    assert store.get_profile(None).name == LOCAL_PROFILE
    assert store.load_profiles()[LOCAL_PROFILE].kind == "local"


def test_profiles_round_trip_and_unknown(paths):
    store = ConfigStore(paths)
    store.save_profile(Profile("school", "local", {"note": "测试"}))
    again = ConfigStore(paths).load_profiles()
    assert again["school"].options == {"note": "测试"}
    with pytest.raises(ConfigError, match="nope"):
        store.get_profile("nope")
    assert not list(paths.config_dir.glob("*.tmp"))


def test_settings_round_trip_and_corrupt_file(paths):
    store = ConfigStore(paths)
    s = store.load_settings()
    s.language = "en"
    store.save_settings(s)
    assert json.loads(paths.settings_path.read_text("utf-8"))["language"] == "en"
    assert store.load_settings().language == "en"
    paths.settings_path.write_text("{not json", "utf-8")
    with pytest.raises(ConfigError):
        store.load_settings()


@pytest.mark.parametrize(("stored", "loaded"), [
    (None, 500), (0, 0), (2000, 2000), (-1, 500), (True, 500), ("100", 500), (1.5, 500)])
def test_mass_write_threshold(paths, stored, loaded):
    raw = {} if stored is None else {"mass_write_threshold": stored}
    paths.settings_path.write_text(json.dumps(raw), "utf-8")
    assert ConfigStore(paths).load_settings().mass_write_threshold == loaded


def test_only_the_programs_own_folders_are_owned(tmp_path):
    """Owned folders are tightened to 0700 when found wider; a folder the operator chose
    (an override) is not, only the logs folder the program makes inside it."""
    chosen = Paths.from_env({"CAMPUSCARD_CONFIG_DIR": str(tmp_path / "c"),
                             "CAMPUSCARD_DATA_DIR": str(tmp_path / "d")})
    assert chosen.owned == (tmp_path / "d" / "logs",)
    default = Paths.from_env({})
    assert {default.config_dir, default.data_dir, default.log_dir} <= set(default.owned)
    assert all("campuscard-gui" in str(p) for p in default.owned)
