"""Who runs a job right now: an OS file lock per running job, held as long as the process lives.

``JobLock(path).try_acquire()`` takes an exclusive, non-blocking lock on a small file (flock on
POSIX, msvcrt.locking on Windows). The operating system drops it when the process ends in any
way (a crash, SIGKILL, a power cut), so a lock is never stale: unlike a process id in a table,
it cannot be mistaken for a live process after the id is reused, nor be kept by a changed host
name. The journal's ``job_claims`` row only tells who holds it and since when.
"""

from __future__ import annotations

import contextlib
import os
import socket
import sys
from pathlib import Path


def this_host() -> str:
    return socket.gethostname()


def process_alive(pid: int) -> bool:
    """True when a process with this id exists on this machine (it may be a reused id):
    information only, never the reason to refuse a job."""
    if pid <= 0:
        return False
    if sys.platform == "win32":  # os.kill(pid, 0) would *terminate* the process on Windows
        import ctypes

        kernel32 = ctypes.windll.kernel32
        handle = kernel32.OpenProcess(0x00100000, False, pid)  # SYNCHRONIZE
        if not handle:
            return False
        try:
            return bool(kernel32.WaitForSingleObject(handle, 0) == 0x00000102)  # WAIT_TIMEOUT
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    return True


def _lock(fd: int) -> bool:
    """Try to lock ``fd`` exclusively without waiting; False if someone else holds it."""
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except (BlockingIOError, PermissionError):
        return False
    return True


class JobLock:
    """An exclusive lock on ``path`` (created owner-only), held until ``release()`` or the
    end of the process. One instance locks once; a second instance on the same file — in this
    process or another — is refused while the first holds it."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def try_acquire(self) -> bool:
        """True when the lock is now held by this instance. OSError if the file cannot be
        made (a read-only or full disk)."""
        if self._fd is not None:
            return True
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            if not _lock(fd):
                os.close(fd)
                return False
            if sys.platform != "win32":
                # the file may have been unlinked by a holder releasing it between our open
                # and our lock: then the lock is on a dead inode; take the new file instead
                try:
                    same = os.path.samestat(os.fstat(fd), os.stat(self.path))
                except FileNotFoundError:
                    same = False
                if not same:
                    os.close(fd)
                    continue
            self._fd = fd
            return True

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        if sys.platform != "win32":  # (Windows cannot remove a file that is open)
            with contextlib.suppress(OSError):
                self.path.unlink()  # still locked: a waiter re-checks the inode (above)
        os.close(fd)  # drops the lock
