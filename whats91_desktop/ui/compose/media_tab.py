"""Media tab: image, video, audio or document, from a file, a URL or an uploaded media ID.

A file can be picked with **Browse…** (a plain ``QFileDialog.getOpenFileName`` from a
normal slot, never inside a coroutine) or dropped anywhere on the tab; a dropped or picked
file also switches the type combo to the type its extension implies. Images get a
thumbnail: a worker thread reads it into a ``QImage`` (scaled by ``QImageReader``, so a large
photo is never decoded at full size; still, a 16 MB file is read and decoded), and only the
small result becomes a ``QPixmap`` on the GUI thread. A file's size is one ``stat``.
The caption is hidden for audio (WhatsApp ignores it) and the file name shows for
documents only.

Each source's field has its problem line on its own page, so only the chosen source's line
takes room; "give a file, URL or ID" and a wrong type show under the field the user is on.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import shiboken6
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QImage, QImageReader, QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from whats91_desktop.core import validation
from whats91_desktop.core.models import MEDIA_TYPES, MediaMessage, MediaType, OutgoingMessage, Problem
from whats91_desktop.ui.compose.base import ComposeTab, clear_undoably, strip_or_none
from whats91_desktop.ui.compose.counters import CountedTextEdit
from whats91_desktop.ui.palette import themed_style
from whats91_desktop.ui.tasks import TaskSet, run_blocking

SOURCES = ("file", "url", "id")
THUMBNAIL = QSize(96, 96)
MEDIA_NOUNS: dict[str, str] = {
    "image": "an image",
    "video": "a video",
    "audio": "an audio file",
    "document": "a document",
}
"""Each media type with its article, for "Choose an image to send"."""


def extensions_for(media_type: str) -> tuple[str, ...]:
    """Allowed extensions (lower case, with the dot) for ``media_type``."""
    found = validation.MEDIA_EXTENSIONS.get(media_type, validation.ALLOWED_UPLOAD_EXTENSIONS)  # type: ignore[call-overload]
    return tuple(sorted("." + ext.lower().lstrip(".") for ext in found))


def type_for_extension(path: Path) -> MediaType | None:
    suffix = path.suffix.lower()
    for media_type in MEDIA_TYPES:
        if suffix in extensions_for(media_type):
            return media_type
    return None


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{int(value)} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} bytes"  # pragma: no cover


class MediaTab(ComposeTab):
    kind = "media"
    title = "Media"

    thumbnail_loaded = Signal(str)
    """The thumbnail of this file (its path) is now shown."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tasks = TaskSet()
        self._thumbnail_generation = 0
        self.setAcceptDrops(True)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.body.addLayout(form)

        self.type_combo = QComboBox(self)
        self.type_combo.setObjectName("mediaTypeCombo")
        self.type_combo.setAccessibleName("Media type")
        for media_type in MEDIA_TYPES:
            self.type_combo.addItem(media_type.capitalize(), media_type)
        self.type_combo.setMaximumWidth(220)
        self.type_combo.setToolTip("What WhatsApp shows: a photo, a video, a voice/audio clip or a file.")
        form.addRow("T&ype:", self.type_combo)

        source_row = QHBoxLayout()
        self.source_group = QButtonGroup(self)
        self.source_radios: dict[str, QRadioButton] = {}
        for index, (key, text, tip) in enumerate(
            (
                ("file", "&File", "Upload a file from this computer (or drop one on this tab)."),
                ("url", "U&RL", "A public https:// link WhatsApp downloads the media from."),
                ("id", "Media &ID", "The ID of media already uploaded to WhatsApp."),
            )
        ):
            radio = QRadioButton(text, self)
            radio.setObjectName(f"mediaSource{key.capitalize()}Radio")
            radio.setAccessibleName(f"Media source: {key}")
            radio.setToolTip(tip)
            self.source_group.addButton(radio, index)
            self.source_radios[key] = radio
            source_row.addWidget(radio)
        source_row.addStretch(1)
        self.source_radios["file"].setChecked(True)
        form.addRow("Source:", source_row)

        self.source_box = QWidget(self)
        self.source_box.setObjectName("mediaSourceBox")
        source_pages = QVBoxLayout(self.source_box)
        source_pages.setContentsMargins(0, 0, 0, 0)
        self.source_pages: list[QWidget] = []
        file_page = QWidget()
        file_box = QVBoxLayout(file_page)
        file_box.setContentsMargins(0, 0, 0, 0)
        file_box.setSpacing(2)
        file_row = QHBoxLayout()
        file_box.addLayout(file_row)
        self.file_edit = QLineEdit(file_page)
        self.file_edit.setObjectName("mediaFileEdit")
        self.file_edit.setAccessibleName("Media file path")
        self.file_edit.setPlaceholderText("Choose or drop a file…")
        self.file_edit.setClearButtonEnabled(True)
        self.browse_button = QPushButton("&Browse…", file_page)
        self.browse_button.setObjectName("mediaBrowseButton")
        self.browse_button.setAccessibleName("Browse for a media file")
        self.browse_button.setToolTip("Pick a file to upload")
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(self.browse_button)
        self.url_edit = QLineEdit()
        self.url_edit.setObjectName("mediaUrlEdit")
        self.url_edit.setAccessibleName("Media URL")
        self.url_edit.setPlaceholderText("https://example.com/photo.jpg")
        self.url_edit.setToolTip("A public https:// link; WhatsApp downloads it when sending.")
        self.url_edit.setClearButtonEnabled(True)
        self.id_edit = QLineEdit()
        self.id_edit.setObjectName("mediaIdEdit")
        self.id_edit.setAccessibleName("Media ID")
        self.id_edit.setPlaceholderText("Media ID from an earlier upload")
        self.id_edit.setClearButtonEnabled(True)
        file_box.addWidget(self.problem_label("media.file", self.file_edit, "mediaFileProblem"))
        source_pages.addWidget(file_page)
        self.source_pages.append(file_page)
        for edit, path, name in (
            (self.url_edit, "media.url", "mediaUrlProblem"),
            (self.id_edit, "media.id", "mediaIdProblem"),
        ):
            page = QWidget()
            box = QVBoxLayout(page)
            box.setContentsMargins(0, 0, 0, 0)
            box.setSpacing(2)
            box.addWidget(edit)
            box.addWidget(self.problem_label(path, edit, name))
            source_pages.addWidget(page)
            self.source_pages.append(page)
        form.addRow("", self.source_box)

        preview_row = QHBoxLayout()
        self.thumbnail = QLabel(self)
        self.thumbnail.setObjectName("mediaThumbnail")
        self.thumbnail.setAccessibleName("Image thumbnail")
        self.thumbnail.setFixedSize(THUMBNAIL)
        self.thumbnail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        themed_style(self.thumbnail, "border: 1px solid $border; border-radius: 4px;")
        self.file_info = QLabel(self)
        self.file_info.setObjectName("mediaFileInfo")
        self.file_info.setWordWrap(True)
        themed_style(self.file_info, "color: $muted;")
        preview_row.addWidget(self.thumbnail)
        preview_row.addWidget(self.file_info, 1)
        form.addRow("", preview_row)

        self.caption_edit = CountedTextEdit(validation.CAPTION_MAX, self)
        self.caption_edit.setObjectName("mediaCaptionEdit")
        self.caption_edit.setAccessibleName("Caption")
        self.caption_edit.setPlaceholderText("Optional caption")
        self.caption_edit.setToolTip(f"Shown under the media; up to {validation.CAPTION_MAX} characters.")
        self.caption_edit.setFixedHeight(72)
        self.caption_box = QWidget(self)
        caption_box = QVBoxLayout(self.caption_box)
        caption_box.setContentsMargins(0, 0, 0, 0)
        caption_box.setSpacing(2)
        caption_box.addWidget(self.caption_edit)
        caption_box.addWidget(self.problem_label("caption", self.caption_edit, "mediaCaptionProblem"))
        self.caption_label = QLabel("&Caption:", self)
        self.caption_label.setBuddy(self.caption_edit)
        form.addRow(self.caption_label, self.caption_box)

        self.filename_edit = QLineEdit(self)
        self.filename_edit.setObjectName("mediaFilenameEdit")
        self.filename_edit.setAccessibleName("Document file name")
        self.filename_edit.setToolTip("The name the recipient sees for the document (optional).")
        self.filename_edit.setClearButtonEnabled(True)
        self.filename_box = QWidget(self)
        filename_box = QVBoxLayout(self.filename_box)
        filename_box.setContentsMargins(0, 0, 0, 0)
        filename_box.setSpacing(2)
        filename_box.addWidget(self.filename_edit)
        filename_box.addWidget(self.problem_label("filename", self.filename_edit, "mediaFilenameProblem"))
        self.filename_label = QLabel("File &name:", self)
        self.filename_label.setBuddy(self.filename_edit)
        form.addRow(self.filename_label, self.filename_box)
        self.body.addStretch(1)

        self.type_combo.currentIndexChanged.connect(self._on_type_changed)
        self.source_group.idToggled.connect(self._on_source_toggled)
        self.browse_button.clicked.connect(self._on_browse_clicked)
        self.file_edit.textChanged.connect(self._on_file_text_changed)
        for signal in (
            self.url_edit.textChanged,
            self.id_edit.textChanged,
            self.caption_edit.textChanged,
            self.filename_edit.textChanged,
        ):
            signal.connect(self.changed)
        self._show_source_page()
        self._on_type_changed()
        self._on_file_text_changed("")

    # ------------------------------------------------------------------ state

    def media_type(self) -> MediaType:
        value = self.type_combo.currentData()
        return value if value in MEDIA_TYPES else "image"

    def source(self) -> str:
        return SOURCES[max(self.source_group.checkedId(), 0)]

    def set_source(self, source: str) -> None:
        self.source_radios[source].setChecked(True)

    def file_path(self) -> Path | None:
        text = self.file_edit.text().strip()
        return Path(text).expanduser() if text else None

    def set_file(self, path: Path) -> None:
        """Select ``path`` as the source; adopt the type its extension implies."""
        implied = type_for_extension(path)
        if implied is not None and implied != self.media_type():
            self.type_combo.setCurrentIndex(MEDIA_TYPES.index(implied))
        self.set_source("file")
        self.file_edit.setText(str(path))

    # ------------------------------------------------------------------ the tab protocol

    def build(self, to: str) -> tuple[OutgoingMessage | None, list[Problem]]:
        media_type = self.media_type()
        source = self.source()
        caption = strip_or_none(self.caption_edit.toPlainText()) if media_type != "audio" else None
        filename = strip_or_none(self.filename_edit.text()) if media_type == "document" else None
        message = MediaMessage(
            to=to,
            media_type=media_type,
            url=strip_or_none(self.url_edit.text()) if source == "url" else None,
            media_id=strip_or_none(self.id_edit.text()) if source == "id" else None,
            file_path=self.file_path() if source == "file" else None,
            caption=caption,
            filename=filename,
        )
        return message, []

    def _at_source(self, problem: Problem) -> Problem:
        """A problem of the media as a whole ("give a file, URL or ID", its type, a media ID),
        moved to the field of the source the user chose: the one line that is on screen."""
        if problem.field in ("media", "media_type", "media_id"):
            return Problem(f"media.{self.source()}", problem.message)
        return problem

    def show_problems(self, problems: Sequence[Problem], *, reveal: bool = False) -> list[Problem]:
        moved = {self._at_source(p): p for p in problems}
        return [moved[p] for p in super().show_problems(list(moved), reveal=reveal)]

    def focus_problem(self, problem: Problem) -> bool:
        return super().focus_problem(self._at_source(problem))

    def files(self) -> tuple[Path, ...]:
        path = self.file_path()
        return (path,) if path is not None and self.source() == "file" else ()

    def _clear_body(self) -> None:
        for edit in (self.file_edit, self.url_edit, self.id_edit, self.filename_edit):
            edit.clear()
        clear_undoably(self.caption_edit)

    # ------------------------------------------------------------------ slots

    def _on_type_changed(self, _index: int = 0) -> None:
        media_type = self.media_type()
        self.caption_label.setVisible(media_type != "audio")
        self.caption_box.setVisible(media_type != "audio")
        self.filename_label.setVisible(media_type == "document")
        self.filename_box.setVisible(media_type == "document")
        allowed = " ".join(extensions_for(media_type))
        limit = human_size(validation.UPLOAD_MAX_BYTES)
        noun = MEDIA_NOUNS[media_type]
        self.browse_button.setToolTip(f"Choose {noun} to send ({allowed}; at most {limit})")
        self.file_edit.setToolTip(f"The path of {noun} to upload: {allowed}; at most {limit}.")
        self._update_file_preview()
        self.changed.emit()

    def _show_source_page(self) -> None:
        """Only the chosen source's field is shown (a stack would keep the tallest page's height)."""
        current = max(self.source_group.checkedId(), 0)
        for index, page in enumerate(self.source_pages):
            page.setVisible(index == current)

    def _on_source_toggled(self, button_id: int, checked: bool) -> None:
        if not checked:
            return
        self._show_source_page()
        self._update_file_preview()
        self.changed.emit()

    def _on_browse_clicked(self) -> None:
        media_type = self.media_type()
        patterns = " ".join(f"*{ext}" for ext in extensions_for(media_type))
        current = self.file_path()
        start = str(current.parent) if current is not None else ""
        name, _ = QFileDialog.getOpenFileName(
            self,
            f"Choose {MEDIA_NOUNS[media_type]} to send",
            start,
            f"{media_type.capitalize()} files ({patterns});;All files (*)",
        )
        if name:
            self.set_file(Path(name))

    def _on_file_text_changed(self, _text: str) -> None:
        self._update_file_preview()
        self.changed.emit()

    def _update_file_preview(self) -> None:
        self._thumbnail_generation += 1
        path = self.file_path() if self.source() == "file" else None
        self.thumbnail.clear()
        self.file_info.clear()
        show = path is not None
        self.thumbnail.setVisible(show)
        self.file_info.setVisible(show)
        if path is None:
            return
        try:
            size = path.stat().st_size if path.is_file() else None
        except OSError:
            size = None
        if size is None:
            self.thumbnail.setText("?")
            self.file_info.setText(f"{path.name}: no such file")
            return
        self.file_info.setText(f"{path.name} · {human_size(size)}")
        self.thumbnail.setText(path.suffix.lstrip(".").upper() or "FILE")
        if self.media_type() == "image" and size <= validation.UPLOAD_MAX_BYTES:
            self._tasks.spawn(self._load_thumbnail(self._thumbnail_generation, path))

    async def _load_thumbnail(self, generation: int, path: Path) -> None:
        image = await run_blocking(read_thumbnail, path)
        if not shiboken6.isValid(self) or generation != self._thumbnail_generation or image is None:
            return  # another file (or type) was chosen meanwhile, or not an image
        self.thumbnail.setPixmap(QPixmap.fromImage(image))
        self.thumbnail_loaded.emit(str(path))

    # ------------------------------------------------------------------ drag and drop

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if _dropped_file(event.mimeData()) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        path = _dropped_file(event.mimeData())
        if path is None:
            event.ignore()
            return
        self.set_file(path)
        event.acceptProposedAction()


def _dropped_file(mime: object) -> Path | None:
    urls = mime.urls() if hasattr(mime, "hasUrls") and mime.hasUrls() else []  # type: ignore[attr-defined]
    for url in urls:
        if url.isLocalFile():
            return Path(url.toLocalFile())
    return None


def read_thumbnail(path: Path) -> QImage | None:
    """The image scaled into the thumbnail box, or None. Blocking (disk, decoding): call it on a
    worker thread; ``QImage`` may be made there, a ``QPixmap`` only on the GUI thread."""
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    size = reader.size()
    if size.isValid():
        reader.setScaledSize(size.scaled(THUMBNAIL, Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    return None if image.isNull() else image
