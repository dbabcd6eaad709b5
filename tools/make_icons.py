"""Make every application icon file from the one SVG source.

    python tools/make_icons.py          # writes resources/icons/{png/*.png, *.ico, *.icns}
    python tools/make_icons.py --check  # exit 1 when the files are missing or older than the SVG

Qt's own SVG renderer (QtSvg, part of PySide6) draws each size, so small sizes are drawn, not
shrunk from a large bitmap; Pillow packs the Windows .ico (16–256 px) and the macOS .icns
(16–1024 px). The window, the bundle and the Linux .desktop entry use these files; they are
committed so that running from a clone needs neither tool.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "resources" / "icons"
SVG = ICONS / "campuscard-gui.svg"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512, 1024)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_SIZES = (16, 32, 64, 128, 256, 512, 1024)


def png_path(size: int) -> Path:
    return ICONS / "png" / f"campuscard-gui-{size}.png"


def outputs() -> list[Path]:
    return [*(png_path(s) for s in PNG_SIZES), ICONS / "campuscard-gui.ico",
            ICONS / "campuscard-gui.icns"]


def render_pngs() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841 - QPainter needs it
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"{SVG}: not a valid SVG")
    (ICONS / "png").mkdir(parents=True, exist_ok=True)
    for size in PNG_SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        renderer.render(painter)
        painter.end()
        if not image.save(str(png_path(size))):
            raise SystemExit(f"could not write {png_path(size)}")


def pack() -> None:
    from PIL import Image

    images = {s: Image.open(png_path(s)).convert("RGBA") for s in PNG_SIZES}
    largest = images[max(ICO_SIZES)]
    largest.save(ICONS / "campuscard-gui.ico", format="ICO",
                 sizes=[(s, s) for s in ICO_SIZES],
                 append_images=[images[s] for s in ICO_SIZES if s != max(ICO_SIZES)])
    images[max(ICNS_SIZES)].save(ICONS / "campuscard-gui.icns", format="ICNS",
                                 append_images=[images[s] for s in ICNS_SIZES[:-1]])


def stale() -> list[Path]:
    source = SVG.stat().st_mtime
    return [p for p in outputs() if not p.is_file() or p.stat().st_mtime < source]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="only say whether the icon files are up to date")
    args = parser.parse_args(argv)
    if args.check:
        missing = stale()
        for path in missing:
            print(f"out of date: {path.relative_to(ROOT)}")
        return 1 if missing else 0
    render_pngs()
    pack()
    for path in outputs():
        print(f"{path.relative_to(ROOT)}  {path.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
