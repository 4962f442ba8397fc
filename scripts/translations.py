"""Extract the window's words into ``resources/translations/*.ts`` and compile them to ``.qm``.

    .venv/bin/python scripts/translations.py update    # pyside6-lupdate: new strings into the .ts
    .venv/bin/python scripts/translations.py compile   # pyside6-lrelease: .ts -> ui/i18n/*.qm

``pyside6-lupdate`` finds every ``tr("…")`` in ``whats91_desktop/ui``. Words that are data rather
than calls — the settings table's titles, help texts and choices (``core.settings``), the
panes' and compose tabs' titles — are written as ``tr()`` calls into a temporary file that
lupdate reads too, so they are translated without being repeated in the code.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "resources" / "translations"
COMPILED = ROOT / "whats91_desktop" / "ui" / "i18n"
BIN = Path(sys.executable).parent


def data_texts() -> list[str]:
    sys.path.insert(0, str(ROOT))
    from whats91_desktop.core.settings import PREFERENCES
    from whats91_desktop.ui.compose.base import ComposeTab
    from whats91_desktop.ui.panes import Pane

    texts: list[str] = []
    for spec in PREFERENCES:
        texts += [spec.title, spec.description, spec.section, *(label for _value, label in spec.choices)]
    import whats91_desktop.app as app

    app.import_ui_modules()
    for base, attribute in ((Pane, "pane_title"), (ComposeTab, "title")):
        texts += [getattr(cls, attribute) for cls in _subclasses(base)]
    return [t for t in dict.fromkeys(texts + _constant_texts()) if t]


def _constant_texts() -> list[str]:
    """Module-level captions the widgets pass through ``tr()`` when they show them."""
    from whats91_desktop.ui.bulk.report_view import VERDICTS
    from whats91_desktop.ui.conversations.list_model import STATUS_CHOICES
    from whats91_desktop.ui.log.model import COLUMNS, STATUS_GROUPS
    from whats91_desktop.ui.log.pane import TOKEN_WARNING
    from whats91_desktop.ui.webhooks.table_model import ListTableModel

    return [
        *(column for model in _subclasses(ListTableModel) for column in model.columns),
        *COLUMNS,
        *STATUS_GROUPS,
        TOKEN_WARNING,
        *(label for _value, label in STATUS_CHOICES),
        *(label for label, _verdict in VERDICTS),
    ]


def _subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found


def update() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        extra = Path(tmp) / "data_texts.py"
        extra.write_text("".join(f"tr({text!r})\n" for text in data_texts()), encoding="utf-8")
        for ts in sorted(SOURCES.glob("*.ts")):
            sources = [str(ROOT / "whats91_desktop" / "ui"), str(extra)]
            # -extensions applies to the directories named after it
            lupdate = [str(BIN / "pyside6-lupdate"), "-extensions", "py", "-no-obsolete"]
            subprocess.run([*lupdate, "-locations", "none", *sources, "-ts", str(ts)], check=True)


def compile_all() -> None:
    for ts in sorted(SOURCES.glob("*.ts")):
        qm = COMPILED / (ts.stem + ".qm")
        subprocess.run([str(BIN / "pyside6-lrelease"), str(ts), "-qm", str(qm)], check=True)


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "update":
        update()
    elif command == "compile":
        compile_all()
    else:
        sys.exit(__doc__)
