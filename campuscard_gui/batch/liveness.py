"""Is a process still running? Used to tell a live claim on a job from one a crash left."""

from __future__ import annotations

import os
import socket
import sys


def this_host() -> str:
    return socket.gethostname()


def process_alive(pid: int) -> bool:
    """True when a process with this id exists on this machine (it may be a reused id)."""
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
