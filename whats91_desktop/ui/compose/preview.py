"""A WhatsApp-style outgoing bubble: header, body, footer and buttons.

The only place the WhatsApp green appears. The body is rendered from plain text with
WhatsApp's own markup (``*bold*``, ``_italic_``, ``~strike~``, ````` ```mono``` `````);
:func:`render_body` substitutes template variables and shows the unfilled ones as a
highlighted ``{{n}}`` so the user sees at a glance what is still missing.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from whats91_desktop.ui.palette import colour, themed_style

_STYLE = (
    "#previewBackground { background: $chat; border-radius: 6px; }"
    "#previewBubble { background: $bubble; border-radius: 8px; }"
    "#previewBubble QLabel { color: $bubble_text; }"
    "#previewButton { background: $bubble_button; border-radius: 8px; padding: 6px; color: $accent; }"
    "#previewMedia { background: rgba(0,0,0,0.08); border-radius: 6px; color: $media_text;"
    " padding: 18px 6px; }"
    "#previewBubble #previewFooter, #previewBubble #previewTime { color: $bubble_meta; }"
    "#previewHeader { font-weight: bold; }"
)
"""WhatsApp's own light and dark chat colours (``ui.palette``), redrawn when the scheme changes."""

_VARIABLE = re.compile(r"\{\{\s*(\d+)\s*\}\}")
_MARKUP = (
    (re.compile(r"```(.+?)```", re.S), r"<span style='font-family:monospace'>\1</span>"),
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"<b>\1</b>"),
    (re.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])"), r"<i>\1</i>"),
    (re.compile(r"(?<![\w~])~(?=\S)(.+?)(?<=\S)~(?![\w~])"), r"<s>\1</s>"),
)


def unfilled_marker(number: int) -> str:
    style = f"background:{colour('unfilled')}; color:{colour('unfilled_text')}"
    return f"<span style='{style}'>{{{{{number}}}}}</span>"


def render_body(text: str, values: Sequence[str] | None = None) -> str:
    """Plain text -> bubble HTML; ``{{n}}`` becomes ``values[n-1]`` or a highlighted marker.

    With ``values=None`` variables are left as typed (a free-text message, not a template).
    """
    parts: list[str] = []
    last = 0
    for match in _VARIABLE.finditer(text) if values is not None else ():
        parts.append(html.escape(text[last : match.start()]))
        number = int(match.group(1))
        value = values[number - 1] if values is not None and 0 < number <= len(values) else ""
        parts.append(html.escape(value) if value.strip() else unfilled_marker(number))
        last = match.end()
    parts.append(html.escape(text[last:]))
    body = "".join(parts)
    for pattern, replacement in _MARKUP:
        body = pattern.sub(replacement, body)
    return body.replace("\n", "<br>")


def _plain(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", markup.replace("<br>", "\n"))).strip()


class BubblePreview(QFrame):
    """Chat-wallpaper frame with one outgoing bubble and its reply buttons below it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Message preview")
        themed_style(self, _STYLE)
        frame = QVBoxLayout(self)
        frame.setContentsMargins(0, 0, 0, 0)
        background = QFrame(self)
        background.setObjectName("previewBackground")
        frame.addWidget(background)
        outer = QVBoxLayout(background)
        outer.setContentsMargins(12, 12, 12, 12)
        outer.setSpacing(4)

        self._bubble = QFrame(background)
        self._bubble.setObjectName("previewBubble")
        self._bubble.setMaximumWidth(340)
        self._bubble.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        inner = QVBoxLayout(self._bubble)
        inner.setContentsMargins(9, 7, 9, 5)
        inner.setSpacing(3)
        self.media_label = self._label("previewMedia", inner, Qt.AlignmentFlag.AlignCenter)
        self.header_label = self._label("previewHeader", inner)
        self.body_label = self._label("previewBody", inner)
        self.body_label.setTextFormat(Qt.TextFormat.RichText)
        self.footer_label = self._label("previewFooter", inner)
        small = self.footer_label.font()
        small.setPointSizeF(max(small.pointSizeF() - 1.0, 7.0))
        self.footer_label.setFont(small)
        time_label = self._label("previewTime", inner, Qt.AlignmentFlag.AlignRight)
        time_label.setFont(small)
        time_label.setText("now ✓✓")

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self._bubble, 1)
        row.addStretch(0)
        outer.addLayout(row)

        self._buttons_box = QVBoxLayout()
        self._buttons_box.setSpacing(3)
        outer.addLayout(self._buttons_box)
        outer.addStretch(1)
        self._button_labels: list[QLabel] = []
        self.set_content(body_html="")

    def _label(
        self, name: str, layout: QVBoxLayout, align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft
    ) -> QLabel:
        label = QLabel(self._bubble)
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setAlignment(align)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(label)
        return label

    def set_content(
        self,
        *,
        body_html: str,
        header: str | None = None,
        header_media: str | None = None,
        footer: str | None = None,
        buttons: Sequence[str] = (),
    ) -> None:
        """Show a message. ``header_media`` is a caption for a media placeholder (``IMAGE``)."""
        self.media_label.setText(header_media or "")
        self.media_label.setVisible(bool(header_media))
        self.header_label.setText(header or "")
        self.header_label.setVisible(bool(header))
        self.body_label.setText(body_html or f"<span style='color:{colour('bubble_meta')}'>(empty)</span>")
        self.footer_label.setText(footer or "")
        self.footer_label.setVisible(bool(footer))
        while len(self._button_labels) < len(buttons):
            label = QLabel(self._bubble.parentWidget())
            label.setObjectName("previewButton")
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setMaximumWidth(340)
            self._buttons_box.addWidget(label)
            self._button_labels.append(label)
        for index, label in enumerate(self._button_labels):
            visible = index < len(buttons)
            label.setText(buttons[index] if visible else "")
            label.setVisible(visible)
        self.setAccessibleDescription(
            " ".join(filter(None, [header_media, header, _plain(body_html), footer, *buttons]))
        )

    def body_html(self) -> str:
        return self.body_label.text()
