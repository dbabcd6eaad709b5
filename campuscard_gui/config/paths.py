"""Where config, data and logs live: the platform's directories, overridable for tests and
portable installs by CAMPUSCARD_CONFIG_DIR and CAMPUSCARD_DATA_DIR (logs go under the data dir
when it is overridden).

Private by default on POSIX: the entry points call :func:`private_files` first, so every file
and folder the program creates (journal and SQLite's ``-wal``/``-shm``, local stores, logs,
backups, exports) is made readable by the operator's user only (umask 077: files 0600,
folders 0700). :meth:`Paths.ensure_dir` and :meth:`Paths.tighten` take away what an older
version left open to other users: the app's own folders become 0700 and its known files 0600.
A folder the operator chose (an override such as ``~/Documents``) is never changed, only the
program's files in it. On Windows all of this does nothing (the user profile's ACLs apply)."""

from __future__ import annotations

import errno
import logging
import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import platformdirs

from ..core.errors import CampusCardError
from ..core.text import N_, _

log = logging.getLogger(__name__)

APP_NAME = "campuscard-gui"
CONFIG_ENV = "CAMPUSCARD_CONFIG_DIR"
DATA_ENV = "CAMPUSCARD_DATA_DIR"
LOG_FILE = "campuscard-gui.log"

POSIX = os.name == "posix"
PRIVATE_UMASK = 0o077  # new files 0600, new folders 0700
OPEN_TO_OTHERS = stat.S_IRWXG | stat.S_IRWXO

Role = Literal["config", "data", "log"]
ROLES: tuple[Role, ...] = ("config", "data", "log")
_ROLE_TEXT = {"config": N_("配置文件夹"), "data": N_("数据文件夹"), "log": N_("日志文件夹")}
_CONFIG_FILES = ("settings.json", "profiles.json")


def private_umask() -> int | None:
    """Set the process umask to 077 (POSIX); returns the previous one (None on Windows)."""
    if not POSIX:
        return None
    return os.umask(PRIVATE_UMASK)


@contextmanager
def private_files() -> Iterator[None]:
    """Within the block, new files and folders are private (POSIX umask 077); the previous
    umask comes back after it (the process-wide setting, so callers in-process — tests,
    embedders — are left as they were)."""
    previous = private_umask()
    try:
        yield
    finally:
        if previous is not None:
            os.umask(previous)


def reason_text(exc: OSError) -> str:
    """Why a folder or file cannot be used, in the installed language (the OS's words for the
    rare rest)."""
    code = exc.errno
    if code in (errno.EACCES, errno.EPERM):
        return _("没有权限")
    if code == errno.EROFS:
        return _("只读文件系统")
    if code in (errno.ENOTDIR, errno.EEXIST):
        return _("该位置是一个文件，不是文件夹")
    if code in (errno.ENOSPC, errno.EDQUOT):
        return _("磁盘已满")
    return exc.strerror or str(exc)


class DirError(CampusCardError):
    """One of the program's folders cannot be created or written. ``role``: config, data or
    log; ``os_error``: the cause (its errno tells a file in the way from a read-only folder)."""

    code = "dir"

    def __init__(self, role: Role, path: Path, os_error: OSError) -> None:
        super().__init__(_("{folder}无法使用：{path}（{reason}）").format(
            folder=_(_ROLE_TEXT[role]), path=path, reason=reason_text(os_error)),
            code=f"{role}_dir")
        self.role = role
        self.path = path
        self.os_error = os_error


@dataclass(frozen=True, slots=True)
class Paths:
    config_dir: Path
    data_dir: Path
    log_dir: Path
    # the folders that are the program's own (the platform's defaults, the logs folder under
    # an overridden data dir): tightened to 0700 when found wider. Others are left as they are.
    owned: tuple[Path, ...] = field(default=(), compare=False)

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Paths:
        env = os.environ if environ is None else environ
        owned: list[Path] = []
        config_override = env.get(CONFIG_ENV)
        config = Path(config_override or platformdirs.user_config_dir(APP_NAME, appauthor=False))
        if not config_override:
            owned.append(config)
        data_override = env.get(DATA_ENV)
        data = Path(data_override or platformdirs.user_data_dir(APP_NAME, appauthor=False))
        if data_override:
            logs = Path(data_override) / "logs"
        else:
            owned.append(data)
            logs = Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))
            if logs.parent.name == APP_NAME:  # ~/.local/state/campuscard-gui/log
                owned.append(logs.parent)
        owned.append(logs)
        return cls(config, data, logs, tuple(owned))

    def dir_for(self, role: Role) -> Path:
        return {"config": self.config_dir, "data": self.data_dir, "log": self.log_dir}[role]

    def ensure(self) -> Paths:
        """Create (0700) and tighten all three folders; DirError names the first that fails."""
        for role in ROLES:
            self.ensure_dir(role)
        return self

    def ensure_dir(self, role: Role, *, writable: bool = False) -> Path:
        """The folder for ``role``, created if missing (0700, parents as needed) and
        tightened. ``writable``: also prove that a file can be made in it. DirError when it
        cannot be created, is not a folder, or (``writable``) cannot be written."""
        path = self.dir_for(role)
        try:
            path.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise DirError(role, path, exc) from exc
        if not path.is_dir():  # a symlink to a file, or a race
            raise DirError(role, path, NotADirectoryError(errno.ENOTDIR, "Not a directory"))
        if writable:
            problem = write_problem(path)
            if problem is not None:
                raise DirError(role, path, problem)
        self.tighten(role)
        return path

    def tighten(self, *roles: Role) -> None:
        """Take group and other permissions away from the program's own folders and its
        known files in them (journal and its -wal/-shm, local stores, backups, logs,
        settings). Never raises: a file it may not change is logged and left. POSIX only."""
        if not POSIX:
            return
        for role in roles or ROLES:
            folder = self.dir_for(role)
            for path in self.owned:  # the folder, and for logs the app's folder above it
                if (path == folder or (role == "log" and path == folder.parent)) \
                        and _is_dir(path):
                    _make_private(path)
            if not _is_dir(folder):
                continue
            for path in self._known_files(role, folder):
                _make_private(path)

    def _known_files(self, role: Role, folder: Path) -> Iterator[Path]:
        if role == "config":
            patterns: tuple[str, ...] = tuple(f"{name}*" for name in _CONFIG_FILES)
        elif role == "data":
            patterns = ("*.sqlite3", "*.sqlite3-*", "*.sqlite3.*")  # -wal/-shm, .bak, .locks
        else:
            patterns = (f"{LOG_FILE}*",)
        try:
            for pattern in patterns:
                yield from folder.glob(pattern)
        except OSError as exc:
            log.warning("cannot list %s: %s", folder, exc)

    @property
    def journal_path(self) -> Path:
        return self.data_dir / "journal.sqlite3"

    @property
    def log_path(self) -> Path:
        return self.log_dir / LOG_FILE

    @property
    def settings_path(self) -> Path:
        return self.config_dir / "settings.json"

    @property
    def profiles_path(self) -> Path:
        return self.config_dir / "profiles.json"

    def local_db_path(self, profile_name: str = "local") -> Path:
        safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in profile_name)
        return self.data_dir / f"{safe}.sqlite3"


def write_problem(folder: Path) -> OSError | None:
    """Why no file can be made in ``folder`` (None: one was made and removed again)."""
    try:
        fd, name = tempfile.mkstemp(prefix=f".{APP_NAME}-write-check-", dir=folder)
    except OSError as exc:
        return exc
    os.close(fd)
    try:
        os.unlink(name)
    except OSError as exc:
        return exc
    return None


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir() and not path.is_symlink()
    except OSError:
        return False


def _make_private(path: Path) -> None:
    """chmod away group/other bits of ``path`` (not following a symlink; only the user's own
    files: another owner's file is not ours to change)."""
    try:
        st = path.lstat()
        if stat.S_ISLNK(st.st_mode) or st.st_uid != os.geteuid():
            return
        if st.st_mode & OPEN_TO_OTHERS:
            os.chmod(path, stat.S_IMODE(st.st_mode) & ~OPEN_TO_OTHERS)
            log.info("made %s private (was %o)", path, stat.S_IMODE(st.st_mode))
    except OSError as exc:
        log.warning("cannot make %s private: %s", path, exc)
