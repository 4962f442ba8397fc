"""The text a widget tree shows on screen, as Qt draws it: for finding a stray ``&``.

Qt turns ``&x`` into an underlined mnemonic (and ``&&`` into ``&``) on buttons, group box
titles, tabs and labels that have a buddy; a label without a buddy draws the ``&`` as is,
which is how "&Token" ended up on screen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QTabBar, QWidget

_MNEMONIC = re.compile(r"&(.)")


@dataclass(frozen=True)
class Shown:
    widget: str
    text: str
    """What the user reads."""
    mnemonic: str | None
    """The Alt+ key it answers to, lower case (None: none)."""


def _with_mnemonic(name: str, text: str) -> Shown:
    keys = [m.group(1).lower() for m in _MNEMONIC.finditer(text) if m.group(1) != "&"]
    return Shown(name, _MNEMONIC.sub(r"\1", text), keys[0] if keys else None)


def displayed(root: QWidget) -> list[Shown]:
    """Every visible label, button, group box title and tab under ``root``."""
    found: list[Shown] = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root):
            continue
        name = widget.objectName() or type(widget).__name__
        if isinstance(widget, QLabel) and widget.text():
            plain = widget.buddy() is None  # drawn as it is, & and all
            found.append(Shown(name, widget.text(), None) if plain else _with_mnemonic(name, widget.text()))
        elif isinstance(widget, QAbstractButton) and widget.text():
            found.append(_with_mnemonic(name, widget.text()))
        elif isinstance(widget, QGroupBox) and widget.title():
            found.append(_with_mnemonic(name, widget.title()))
        elif isinstance(widget, QTabBar):
            found += [_with_mnemonic(f"{name}[{i}]", widget.tabText(i)) for i in range(widget.count())]
    return found


def stray_ampersands(root: QWidget) -> list[str]:
    return [f"{s.widget}: {s.text!r}" for s in displayed(root) if "&" in s.text]


def repeated_mnemonics(root: QWidget) -> dict[str, list[str]]:
    """Alt+ keys claimed by more than one visible widget (only the first would ever answer)."""
    claims: dict[str, list[str]] = {}
    for shown in displayed(root):
        if shown.mnemonic:
            claims.setdefault(shown.mnemonic, []).append(shown.widget)
    return {key: names for key, names in claims.items() if len(names) > 1}
