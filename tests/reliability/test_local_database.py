"""A local profile on a database file of its own choosing (``profiles add NAME --kind local
--database PATH``): what lets two PCs share one SQLite file in the reliability tests (and a
card center share one on a network drive)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import run

from campuscard_gui.backends.factory import local_database_path, open_connector
from campuscard_gui.backends.local.store import init_demo
from campuscard_gui.config import ConfigStore, Paths, Profile
from campuscard_gui.core.errors import ConfigError


@pytest.fixture
def shared(tmp_path: Path) -> Path:
    db = tmp_path / "share" / "campus.sqlite3"
    init_demo(db, 12, seed=3)
    return db


def test_add_local_profile_with_a_database(paths: Paths, creds, capsys, shared: Path) -> None:
    code, _, err = run(capsys, creds, "profiles", "add", "shared", "--kind", "local",
                       "--database", str(shared))
    assert code == 0, err
    profile = ConfigStore(paths).get_profile("shared")
    assert profile.kind == "local" and profile.options == {"database": str(shared.resolve())}
    assert local_database_path(profile, paths) == shared.resolve()

    code, out, _ = run(capsys, creds, "--profile", "shared", "students", "--format", "json")
    assert code == 0 and len(json.loads(out)) == 12  # the shared file, not data_dir/shared…
    assert not paths.local_db_path("shared").exists()

    code, out, _ = run(capsys, creds, "profiles", "list", "--format", "json")
    listed = {p["name"]: p for p in json.loads(out)}
    assert listed["shared"]["database"] == str(shared.resolve())
    assert listed["shared"]["secret"] == "not_needed" and "database" not in listed["local"]
    code, out, _ = run(capsys, creds, "profiles", "list")
    assert str(shared.resolve()) in out


@pytest.mark.parametrize("argv, message", [
    ((), "--database"),
    (("--database", "missing.sqlite3"), "不存在"),
    (("--database", "x.sqlite3", "--app-id", "a"), "--app-id"),
])
def test_add_local_profile_refused(paths: Paths, creds, capsys, tmp_path: Path,
                                   argv: tuple[str, ...], message: str) -> None:
    code, _, err = run(capsys, creds, "profiles", "add", "bad", "--kind", "local", *argv)
    assert code == 2 and message in err
    assert "bad" not in ConfigStore(paths).load_profiles()


def test_open_connector_uses_the_database(paths: Paths, shared: Path) -> None:
    conn = open_connector(Profile("shared", "local", {"database": str(shared)}), paths)
    try:
        assert conn.db_path == shared and len(conn.list_rows()) == 12
    finally:
        conn.close()
    # relative: under the data dir; without the option: the profile's own file
    rel = Profile("rel", "local", {"database": "sub/x.sqlite3"})
    assert local_database_path(rel, paths) == paths.data_dir / "sub" / "x.sqlite3"
    assert local_database_path(Profile("p", "local"), paths) == paths.local_db_path("p")


def test_a_missing_shared_database_is_not_replaced_by_a_demo(paths: Paths,
                                                             tmp_path: Path) -> None:
    """A network drive that is not mounted must not get a new demo school of its own."""
    gone = tmp_path / "unmounted" / "campus.sqlite3"
    with pytest.raises(ConfigError, match="不存在"):
        open_connector(Profile("shared", "local", {"database": str(gone)}), paths)
    assert not gone.exists()
    with pytest.raises(ConfigError):
        open_connector(Profile("shared", "local", {"database": 5}), paths)
