"""Render the application icon's PNG sizes from its SVG: ``.venv/bin/python scripts/build_icons.py``.

The SVG (``resources/icons/hicolor/scalable/apps/``) is the one source; the PNGs beside it in the
hicolor tree are its renderings, committed because desktops, the .deb and the window need them
without a renderer at hand. ``tests/e2e/test_packaging_assets.py`` re-renders them and fails when they no
longer match the SVG, so edit the SVG, then run this script.

Qt's own SVG renderer (QtSvg, part of PySide6-Essentials) draws them: no extra tool to install.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

from whats91_desktop.core.assets import ICON_SIZES, icon_png, icon_svg  # noqa: E402


def render(svg: Path, size: int) -> QImage:
    """``svg`` drawn on a transparent ``size``×``size`` image, antialiased."""
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg}: not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    return image


def main(root: Path) -> int:
    app = QGuiApplication.instance() or QGuiApplication([])
    assert app is not None
    svg = icon_svg(root)
    for size in ICON_SIZES:
        target = icon_png(size, root)
        target.parent.mkdir(parents=True, exist_ok=True)
        if not render(svg, size).save(str(target), "PNG"):
            raise SystemExit(f"could not write {target}")
        print(f"{target.relative_to(root)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(ROOT / "resources"))
