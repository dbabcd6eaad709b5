"""The application icon (resources/icons, made from its SVG by tools/make_icons.py) for the
window and the taskbar, and the Linux desktop entry that names it."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from PySide6.QtGui import QIcon

_HERE = Path(__file__).resolve().parent.parent
# a built package (and the bundle) carries a copy inside; a source checkout has resources/
ICON_DIRS = (_HERE / "icons", _HERE.parent / "resources" / "icons")
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
DESKTOP_ID = "campuscard-gui"


def icon_dir() -> Path | None:
    for folder in ICON_DIRS:
        if (folder / "png").is_dir():
            return folder
    return None


def app_icon() -> QIcon:
    """Every size drawn for it (small sizes are drawn, not shrunk); empty if none is found."""
    icon = QIcon()
    folder = icon_dir()
    if folder is not None:
        for size in SIZES:
            png = folder / "png" / f"campuscard-gui-{size}.png"
            if png.is_file():
                icon.addFile(str(png))
    return icon


def desktop_entry(exec_command: str, icon: str = DESKTOP_ID) -> str:
    """A freedesktop.org .desktop entry that starts ``exec_command``."""
    return "\n".join([
        "[Desktop Entry]",
        "Type=Application",
        "Version=1.5",
        "Name=Campus Card Batch Manager",
        "Name[zh_CN]=校园一卡通批量管理",
        "GenericName=Campus card batch manager",
        "GenericName[zh_CN]=一卡通批量开通、冻结、解冻、注销",
        "Comment=Open, freeze, unfreeze and cancel campus cards in bulk",
        "Comment[zh_CN]=为学生批量开通、冻结、解冻、注销校园一卡通",
        f"Exec={exec_command}",
        f"Icon={icon}",
        "Terminal=false",
        "Categories=Office;Education;",
        "StartupWMClass=campuscard-gui",
        "",
    ])


def install_desktop_entry(data_home: Path | None = None) -> list[Path]:
    """Install the desktop entry and the icon sizes for the current user (XDG data dir,
    ~/.local/share by default): the program then shows in the desktop's menu with its icon.
    Returns the files written. The entry starts this very program (the bundle's executable
    or this Python's ``-m campuscard_gui``)."""
    home = data_home or Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local/share")
    written: list[Path] = []
    folder = icon_dir()
    if folder is not None:
        for size in SIZES:
            png = folder / "png" / f"campuscard-gui-{size}.png"
            if png.is_file():
                target = home / "icons" / "hicolor" / f"{size}x{size}" / "apps" \
                    / f"{DESKTOP_ID}.png"
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(png, target)
                written.append(target)
    if getattr(sys, "frozen", False):
        command = f'"{Path(sys.executable).resolve()}"'
    else:
        command = f'"{Path(sys.executable).resolve()}" -m campuscard_gui'
    entry = home / "applications" / f"{DESKTOP_ID}.desktop"
    entry.parent.mkdir(parents=True, exist_ok=True)
    entry.write_text(desktop_entry(command), encoding="utf-8")
    written.append(entry)
    return written
