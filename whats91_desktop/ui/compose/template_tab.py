"""Template tab: pick an approved template, fill its variables, see the bubble.

The list comes from :meth:`TemplateTab.set_templates` (the pane forwards
``ComposePane.set_templates``). Until the first list arrives, showing the tab emits
``wanted`` once; **Refresh** emits it again. The list is the window's: the Conversations reply
and the Bulk mapping offer it too (``listed``, :meth:`~TemplateTab.load_error`), so it is fetched
once per profile and sender, not once per room. When the list cannot be loaded the error is
shown and the name field stays usable: a name that matches no loaded template switches to
manual mode, where the user says how many body and button variables to send and may give
a header media URL or file.

For a known template the fields follow :class:`TemplateInfo`: one per body ``{{n}}``, one
per button with a variable (labelled with the button's text), and a header media row when
the header is an image, video or document. The preview substitutes what is filled and
highlights the ``{{n}}`` still empty. A URL button's field says, live, the address it
completes (``https://example.com/pay/INV-1``). An authentication template's code is typed
once: its ``Code`` field fills both the body's ``{{1}}`` and the copy-code button, as Meta
requires them to be equal.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from whats91_desktop.core.models import (
    OutgoingMessage,
    Problem,
    TemplateButton,
    TemplateInfo,
    TemplateMessage,
)
from whats91_desktop.core.validation import check_template_against
from whats91_desktop.ui.compose.base import ComposeTab, section_label, strip_or_none
from whats91_desktop.ui.compose.preview import BubblePreview, render_body
from whats91_desktop.ui.compose.problems import ProblemLabel
from whats91_desktop.ui.elided_label import ElidedLabel
from whats91_desktop.ui.palette import colour, themed_style

MANUAL_MAX_VARIABLES = 20
MANUAL_MAX_BUTTON_VARIABLES = 3
NAME_ROLE = Qt.ItemDataRole.UserRole
CODE_BUTTON_TYPES = frozenset({"COPY_CODE", "OTP"})
_VARIABLE = re.compile(r"\{\{\s*\d+\s*\}\}")


def shares_code(info: TemplateInfo | None, button: TemplateButton) -> bool:
    """An authentication template's code button takes the same code as the body's ``{{1}}``."""
    return (
        info is not None
        and (info.category or "").upper() == "AUTHENTICATION"
        and info.body_variable_count >= 1
        and button.type.upper() in CODE_BUTTON_TYPES
    )


def completed_url(url: str, value: str) -> str:
    """``url`` with its ``{{n}}`` replaced by ``value`` (left as ``{{n}}`` while it is empty)."""
    return _VARIABLE.sub(lambda match: value.strip() or match.group(0), url)


def _summary(info: TemplateInfo) -> str:
    return " · ".join(x for x in (info.language, info.category, info.status) if x)


def _media_line(what: str, name: str) -> str:
    return f"{what} · {name}" if name else what


class TemplateTab(ComposeTab):
    kind = "template"
    title = "Template"

    wanted = Signal()
    """The list is needed: first wanted with nothing loaded, Refresh, or :meth:`reload` (another
    room asking again, or the sender it was loaded for changed)."""
    listed = Signal()
    """A new list, or the reason there is none, was set (``changed`` also fires for every edit):
    the other rooms that offer the same templates follow this."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, scroll=False)
        self._templates: dict[str, TemplateInfo] | None = None
        self._error: str | None = None
        self._asked = False
        self._info: TemplateInfo | None = None
        self._field_key: object = None
        self._resolve: Callable[[str], str] = lambda text: text
        self.param_edits: list[QLineEdit] = []
        self.button_param_edits: list[QLineEdit] = []
        self._button_sources: list[QLineEdit] = []  # one per button variable; a shared code repeats
        self._url_previews: list[tuple[ElidedLabel, str, QLineEdit]] = []

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setChildrenCollapsible(False)
        self.body.addWidget(splitter, 1)

        # --- left: the searchable list
        left = QWidget(splitter)
        left_box = QVBoxLayout(left)
        left_box.setContentsMargins(0, 0, 4, 0)
        left_box.setSpacing(4)
        self.search_edit = QLineEdit(left)
        self.search_edit.setObjectName("templateSearchEdit")
        self.search_edit.setAccessibleName("Search templates")
        self.search_edit.setPlaceholderText("Search templates…")
        self.search_edit.setToolTip("Filter by name, language, category or text; ↓ moves to the list.")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.installEventFilter(self)
        self.template_list = QListWidget(left)
        self.template_list.setObjectName("templateList")
        self.template_list.setAccessibleName("Templates")
        self.template_list.setToolTip("Approved templates of the current sender")
        self.template_list.setMinimumWidth(120)
        refresh_row = QHBoxLayout()
        self.refresh_button = QPushButton("&Refresh", left)
        self.refresh_button.setObjectName("templateRefreshButton")
        self.refresh_button.setAccessibleName("Refresh templates")
        self.refresh_button.setToolTip("Load the template list again from Whats91")
        self.status_label = QLabel(left)
        self.status_label.setObjectName("templateStatusLabel")
        self.status_label.setWordWrap(True)
        themed_style(self.status_label, "color: $muted;")
        refresh_row.addWidget(self.refresh_button)
        refresh_row.addStretch(1)
        left_box.addWidget(self.search_edit)
        left_box.addWidget(self.template_list, 1)
        left_box.addLayout(refresh_row)
        left_box.addWidget(self.status_label)

        # --- right: name, variables, preview
        right = QWidget(splitter)
        right_box = QVBoxLayout(right)
        right_box.setContentsMargins(4, 0, 0, 0)
        right_box.setSpacing(4)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setVerticalSpacing(3)
        self.name_edit = QLineEdit(right)
        self.name_edit.setObjectName("templateNameEdit")
        self.name_edit.setAccessibleName("Template name")
        self.name_edit.setPlaceholderText("template_name")
        self.name_edit.setToolTip("Pick a template from the list, or type its exact name.")
        self.name_edit.setClearButtonEnabled(True)
        name_box = QVBoxLayout()
        name_box.setSpacing(1)
        name_box.addWidget(self.name_edit)
        self.info_label = QLabel(right)
        self.info_label.setObjectName("templateInfoLabel")
        themed_style(self.info_label, "color: $muted;")
        self.info_label.setWordWrap(True)
        name_box.addWidget(self.info_label)
        name_problem = self.problem_label("template_name", self.name_edit, "templateNameProblem")
        for path in ("parameters", "button_parameters"):  # how many variables: the template's business
            self.router.register(path, name_problem, self.name_edit)
        name_box.addWidget(name_problem)
        name_label = QLabel("&Name:", right)
        name_label.setBuddy(self.name_edit)
        form.addRow(name_label, name_box)

        self.manual_box = QWidget(right)
        manual_form = QFormLayout(self.manual_box)
        manual_form.setContentsMargins(0, 0, 0, 0)
        manual_form.setVerticalSpacing(2)
        self.var_count_spin = QSpinBox(self.manual_box)
        self.var_count_spin.setObjectName("templateVarCountSpin")
        self.var_count_spin.setAccessibleName("Number of body variables")
        self.var_count_spin.setRange(0, MANUAL_MAX_VARIABLES)
        self.var_count_spin.setMaximumWidth(80)
        self.var_count_spin.setToolTip("How many {{n}} variables the template's body has")
        self.button_var_count_spin = QSpinBox(self.manual_box)
        self.button_var_count_spin.setObjectName("templateButtonVarCountSpin")
        self.button_var_count_spin.setAccessibleName("Number of button variables")
        self.button_var_count_spin.setRange(0, MANUAL_MAX_BUTTON_VARIABLES)
        self.button_var_count_spin.setMaximumWidth(80)
        self.button_var_count_spin.setToolTip("How many buttons take a variable (e.g. a URL suffix)")
        manual_form.addRow("Body variables:", self.var_count_spin)
        manual_form.addRow("Button variables:", self.button_var_count_spin)
        form.addRow("", self.manual_box)
        right_box.addLayout(form)

        self.params_title = section_label("Variables", right)
        right_box.addWidget(self.params_title)
        self.params_form = QFormLayout()
        self.params_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.params_form.setVerticalSpacing(2)
        right_box.addLayout(self.params_form)

        self.media_box = QWidget(right)
        media_form = QFormLayout(self.media_box)
        media_form.setContentsMargins(0, 0, 0, 0)
        media_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        media_form.setVerticalSpacing(2)
        self.media_url_edit = QLineEdit(self.media_box)
        self.media_url_edit.setObjectName("templateMediaUrlEdit")
        self.media_url_edit.setAccessibleName("Header media URL")
        self.media_url_edit.setPlaceholderText("https://example.com/header.jpg")
        self.media_url_edit.setToolTip("A public https:// link to the header image, video or document")
        self.media_url_edit.setClearButtonEnabled(True)
        file_row = QHBoxLayout()
        self.media_file_edit = QLineEdit(self.media_box)
        self.media_file_edit.setObjectName("templateMediaFileEdit")
        self.media_file_edit.setAccessibleName("Header media file")
        self.media_file_edit.setPlaceholderText("…or a file to upload")
        self.media_file_edit.setClearButtonEnabled(True)
        self.media_browse_button = QPushButton("Browse…", self.media_box)
        self.media_browse_button.setObjectName("templateMediaBrowseButton")
        self.media_browse_button.setAccessibleName("Browse for a header media file")
        self.media_browse_button.setToolTip("Pick the header file to upload")
        file_row.addWidget(self.media_file_edit, 1)
        file_row.addWidget(self.media_browse_button)
        self.media_label = QLabel("Header &media:", self.media_box)
        self.media_label.setBuddy(self.media_url_edit)
        media_form.addRow(self.media_label, self.media_url_edit)
        media_form.addRow("", file_row)
        media_problem = ProblemLabel(self.media_box)
        media_problem.setObjectName("templateMediaProblem")
        for path, focus in (
            ("media", self.media_url_edit),
            ("media_url", self.media_url_edit),
            ("media.url", self.media_url_edit),
            ("media_file", self.media_file_edit),
            ("media.file", self.media_file_edit),
        ):
            self.router.register(path, media_problem, focus)
        media_form.addRow("", media_problem)
        right_box.addWidget(self.media_box)

        right_box.addWidget(section_label("Preview", right))
        self.preview = BubblePreview(right)
        self.preview.setObjectName("templatePreview")
        self.preview.setMinimumHeight(112)  # it takes the room left; a small window still fits the form
        right_box.addWidget(self.preview, 1)

        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([220, 440])

        self.search_edit.textChanged.connect(self._on_search_text_changed)
        self.template_list.currentItemChanged.connect(self._on_list_current_changed)
        self.refresh_button.clicked.connect(self.reload)
        self.name_edit.textChanged.connect(self._on_name_text_changed)
        self.var_count_spin.valueChanged.connect(self._on_manual_counts_changed)
        self.button_var_count_spin.valueChanged.connect(self._on_manual_counts_changed)
        self.media_url_edit.textChanged.connect(self._on_field_edited)
        self.media_file_edit.textChanged.connect(self._on_field_edited)
        self.media_browse_button.clicked.connect(self._on_browse_clicked)
        self._set_status("")
        self._sync_fields()

    # ------------------------------------------------------------------ templates

    def templates_loaded(self) -> bool:
        return self._templates is not None

    def templates(self) -> list[TemplateInfo]:
        """The listed templates, in list order (empty when nothing is listed yet)."""
        return list((self._templates or {}).values())

    def load_error(self) -> str | None:
        """Why the last list could not be loaded, as shown (None once one has loaded)."""
        return self._error

    def template(self, name: str) -> TemplateInfo | None:
        """The listed template called ``name`` (None when it is not listed, or nothing is yet)."""
        return (self._templates or {}).get(name)

    def set_templates(self, templates: Sequence[TemplateInfo] | None, error: str | None = None) -> None:
        """Show a new list (keeping the current choice), or the reason there is none.

        ``error`` is shown as given (callers already say "The template list could not be read: …").
        """
        self._asked = True
        self._error = error if templates is None else None
        current = self.name_edit.text().strip()
        self.template_list.blockSignals(True)
        self.template_list.clear()
        if templates is None:
            self._templates = None
            self.search_edit.setEnabled(False)
            self.template_list.setEnabled(False)
            if error:
                self._set_status(f"{error}\nType the template name instead.", error=True)
            else:
                self._set_status("No template list. Type the template name instead.")
        else:
            self._templates = {t.name: t for t in templates}
            self.search_edit.setEnabled(True)
            self.template_list.setEnabled(True)
            for info in templates:
                item = QListWidgetItem(info.name)
                item.setData(NAME_ROLE, info.name)
                detail = _summary(info)
                item.setToolTip(f"{info.name}\n{detail}\n\n{info.body_text}".strip())
                if info.status and info.status.upper() != "APPROVED":
                    item.setForeground(Qt.GlobalColor.gray)
                self.template_list.addItem(item)
            self._set_status(f"{len(templates)} template{'s' if len(templates) != 1 else ''}")
            self._apply_filter()
        self.template_list.blockSignals(False)
        self._select_in_list(current)
        self._sync_fields()
        self.changed.emit()
        self.listed.emit()

    def select_template(self, name: str) -> None:
        """Choose ``name`` as if clicked in the list (or typed, when it is not listed)."""
        self.name_edit.setText(name)

    def info(self) -> TemplateInfo | None:
        return self._info

    def set_text_resolver(self, resolve: Callable[[str], str]) -> None:
        """How the preview shows what is typed: the pane passes the profile's ``{{variables}}``."""
        self._resolve = resolve
        self._update_preview()

    def mark_loading(self) -> None:
        self._set_status("Loading templates…")

    def want(self) -> None:
        """Ask for the list unless it was asked for already: one load serves every room."""
        if not self._asked and self._templates is None:
            self.reload()

    def reload(self) -> None:
        """Ask for the list again (Refresh, or the sender it was loaded for changed)."""
        self._asked = True
        self.mark_loading()
        self.wanted.emit()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.want()

    # ------------------------------------------------------------------ the tab protocol

    def _needs_media(self) -> bool:
        """Known templates say so; in manual mode the header media is optional."""
        if self._info is not None:
            return self._info.needs_media
        return bool(self.name_edit.text().strip())

    def build(self, to: str) -> tuple[OutgoingMessage | None, list[Problem]]:
        needs_media = self._needs_media()
        file_text = self.media_file_edit.text().strip()
        message = TemplateMessage(
            to=to,
            template_name=self.name_edit.text().strip(),
            parameters=tuple(edit.text() for edit in self.param_edits),
            button_parameters=tuple(edit.text() for edit in self._button_sources),
            media_url=strip_or_none(self.media_url_edit.text()) if needs_media else None,
            media_file=Path(file_text).expanduser() if needs_media and file_text else None,
        )
        return message, []

    def extra_problems(self, message: OutgoingMessage, default_region: str) -> list[Problem]:
        if self._info is None or not isinstance(message, TemplateMessage):
            return []
        return check_template_against(self._info, message)

    def tidy_problems(self, problems: list[Problem]) -> list[Problem]:
        """A shared code is one field: its button's copy of a problem the code already shows goes."""
        sources = enumerate(self._button_sources)
        shared = {f"button_parameters[{i}]" for i, edit in sources if edit in self.param_edits}
        if not shared or not any(p.field == "parameters[0]" for p in problems):
            return problems
        return [p for p in problems if p.field not in shared]

    def files(self) -> tuple[Path, ...]:
        text = self.media_file_edit.text().strip()
        return (Path(text).expanduser(),) if text and self._needs_media() else ()

    def _clear_body(self) -> None:
        for edit in (*self.param_edits, *self.button_param_edits):
            edit.clear()
        self.media_url_edit.clear()
        self.media_file_edit.clear()

    # ------------------------------------------------------------------ fields

    def _sync_fields(self) -> None:
        """Rebuild variable fields when the template (or the manual counts) changed."""
        name = self.name_edit.text().strip()
        self._info = self._templates.get(name) if self._templates and name else None
        info = self._info
        manual = info is None and bool(name)
        self.manual_box.setVisible(manual)
        if info is not None:
            self.info_label.setText(_summary(info))
            key: object = ("info", info)
            body_count, buttons = info.body_variable_count, [b for b in info.buttons if b.has_variable]
            needs_media, media_kind = info.needs_media, (info.header_type or "").lower()
        elif manual:
            self.info_label.setText(
                "Not in the loaded list: give the number of variables it expects."
                if self._templates
                else "Template details unknown: give the number of variables it expects."
            )
            body_count = self.var_count_spin.value()
            count = self.button_var_count_spin.value()
            buttons = [TemplateButton("UNKNOWN", f"Button {i + 1}", has_variable=True) for i in range(count)]
            key = ("manual", body_count, len(buttons))
            needs_media, media_kind = True, "media"
        else:
            self.info_label.setText("")
            key, body_count, buttons, needs_media, media_kind = None, 0, [], False, ""
        if key != self._field_key:
            # Values typed in manual mode stay when the list arrives and the template is known.
            manual = any(isinstance(k, tuple) and k[0] == "manual" for k in (key, self._field_key))
            self._rebuild_params(body_count, buttons, keep=manual)
            self._field_key = key
        self.media_box.setVisible(needs_media)
        self.media_label.setText(f"Header {media_kind}:" if media_kind else "Header media:")
        self._update_preview()

    def _rebuild_params(self, body_count: int, buttons: Sequence[TemplateButton], *, keep: bool) -> None:
        old = [e.text() for e in self.param_edits] if keep else []
        old_buttons = [e.text() for e in self.button_param_edits] if keep else []
        while self.params_form.rowCount():
            self.params_form.removeRow(0)
        self.router.unregister_startswith("parameters[")
        self.router.unregister_startswith("button_parameters[")
        self.param_edits, self.button_param_edits, self._button_sources = [], [], []
        self._url_previews = []
        shared = [index for index, b in enumerate(buttons) if shares_code(self._info, b)]
        previous: QWidget = self.button_var_count_spin  # hidden unless manual: Tab skips it
        for index in range(body_count):
            if index == 0 and shared:
                edit = self._param_edit("templateParamEdit0", "Code", old, index)
                edit.setPlaceholderText("The code, e.g. 123456")
                names = ", ".join(f"“{buttons[i].text}”" for i in shared)
                edit.setToolTip(
                    f"Fills {{{{1}}}} in the body and the {names} button: typed once, sent to both"
                )
                caption = "Code:"
                paths = ["parameters[0]", *(f"button_parameters[{i}]" for i in shared)]
            else:
                edit = self._param_edit(
                    f"templateParamEdit{index}", f"Variable {{{{{index + 1}}}}}", old, index
                )
                edit.setToolTip(f"Replaces {{{{{index + 1}}}}} in the template body")
                caption = f"{{{{{index + 1}}}}}"
                paths = [f"parameters[{index}]"]
            self.param_edits.append(edit)
            self._add_param_row(caption, edit, paths)
            QWidget.setTabOrder(previous, edit)
            previous = edit
        for index, button in enumerate(buttons):
            if index in shared:
                self._button_sources.append(self.param_edits[0])
                continue
            number = len(self.button_param_edits)
            edit = self._param_edit(
                f"templateButtonParamEdit{number}",
                f"Button variable {number + 1} ({button.text})",
                old_buttons,
                number,
            )
            edit.setToolTip(f"The variable part of the “{button.text}” button (e.g. the end of its URL)")
            self.button_param_edits.append(edit)
            self._button_sources.append(edit)
            self._add_param_row(f"{button.text}:", edit, [f"button_parameters[{index}]"], url=button.url)
            QWidget.setTabOrder(previous, edit)
            previous = edit
        QWidget.setTabOrder(previous, self.media_url_edit)
        self.params_title.setVisible(bool(body_count or buttons))

    def _param_edit(self, name: str, accessible: str, old: list[str], index: int) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setObjectName(name)
        edit.setAccessibleName(accessible)
        edit.setPlaceholderText(accessible)
        if index < len(old):
            edit.setText(old[index])
        edit.textChanged.connect(self._on_field_edited)
        return edit

    def _add_param_row(self, caption: str, edit: QLineEdit, paths: list[str], url: str | None = None) -> None:
        box = QVBoxLayout()
        box.setSpacing(1)
        box.addWidget(edit)
        if url and _VARIABLE.search(url):
            preview = ElidedLabel(self, elide=Qt.TextElideMode.ElideMiddle)  # the end is what is typed
            preview.setObjectName(edit.objectName().replace("Edit", "UrlPreview"))
            preview.setAccessibleName("The address this button opens")
            themed_style(preview, "color: $muted;")
            box.addWidget(preview)
            self._url_previews.append((preview, url, edit))
        label = ProblemLabel(self)
        label.setObjectName(edit.objectName().replace("Edit", "Problem"))
        for path in paths:
            self.router.register(path, label, edit)
        box.addWidget(label)
        caption_label = QLabel(caption, self)
        caption_label.setBuddy(edit)
        self.params_form.addRow(caption_label, box)
        edit.show()  # now, not at the layout's queued show: Tab order needs it visible
        caption_label.show()

    def _update_preview(self) -> None:
        for preview, url, edit in self._url_previews:
            preview.set_full_text(f"Opens {completed_url(url, self._resolve(edit.text()))}")
        info = self._info
        values = [self._resolve(e.text()) for e in self.param_edits]
        media_name = self._media_caption()
        if info is not None:
            kind = (info.header_type or "").capitalize()
            header_media = _media_line(f"{kind} header", media_name) if info.needs_media else None
            self.preview.set_content(
                header=info.header_text if (info.header_type or "").upper() == "TEXT" else None,
                header_media=header_media,
                body_html=render_body(info.body_text, values),
                footer=info.footer_text,
                buttons=[b.text for b in info.buttons],
            )
        elif self.name_edit.text().strip():
            placeholders = " ".join(f"{{{{{i + 1}}}}}" for i in range(len(values)))
            body = f"Template “{self.name_edit.text().strip()}”"
            body_html = render_body(body, None) + (
                "<br>" + render_body(placeholders, values) if values else ""
            )
            self.preview.set_content(
                header_media=_media_line("Media header", media_name) if media_name else None,
                body_html=body_html,
                buttons=[f"Button: {e.text() or '…'}" for e in self.button_param_edits],
            )
        else:
            hint = f"<span style='color:{colour('bubble_meta')}'>Choose a template</span>"
            self.preview.set_content(body_html=hint)

    def _media_caption(self) -> str:
        url = self.media_url_edit.text().strip()
        file_text = self.media_file_edit.text().strip()
        if file_text:
            return Path(file_text).name
        return url.rsplit("/", 1)[-1] if url else ""

    # ------------------------------------------------------------------ list helpers

    def _set_status(self, text: str, *, error: bool = False) -> None:
        self.status_label.setText(text)
        themed_style(self.status_label, "color: $problem;" if error else "color: $muted;")
        self.status_label.setVisible(bool(text))

    def _apply_filter(self) -> None:
        needle = self.search_edit.text().strip().lower()
        templates = self._templates or {}
        for row in range(self.template_list.count()):
            item = self.template_list.item(row)
            info = templates.get(item.data(NAME_ROLE))
            fields = [item.text()]
            if info is not None:
                fields += [info.language or "", info.category or "", info.body_text]
            haystack = " ".join(fields).lower()
            item.setHidden(bool(needle) and needle not in haystack)

    def _select_in_list(self, name: str) -> None:
        self.template_list.blockSignals(True)
        matches = self.template_list.findItems(name, Qt.MatchFlag.MatchExactly) if name else []
        if matches:
            self.template_list.setCurrentItem(matches[0])
        else:
            self.template_list.setCurrentRow(-1)
            self.template_list.clearSelection()
        self.template_list.blockSignals(False)

    # ------------------------------------------------------------------ slots

    def _on_search_text_changed(self, _text: str) -> None:
        self._apply_filter()

    def _on_list_current_changed(self, current: QListWidgetItem | None, _previous: object) -> None:
        if current is not None:
            self.name_edit.setText(current.data(NAME_ROLE))

    def _on_name_text_changed(self, text: str) -> None:
        self._select_in_list(text.strip())
        self._sync_fields()
        self.changed.emit()

    def _on_manual_counts_changed(self, _value: int) -> None:
        self._sync_fields()
        self.changed.emit()

    def _on_field_edited(self, _text: str = "") -> None:
        self._update_preview()
        self.changed.emit()

    def _on_browse_clicked(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Choose the header media", "", "All files (*)")
        if name:
            self.media_file_edit.setText(name)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.search_edit
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Down
            and self.template_list.count()
        ):
            self.template_list.setFocus()
            if self.template_list.currentRow() < 0:
                for row in range(self.template_list.count()):
                    if not self.template_list.item(row).isHidden():
                        self.template_list.setCurrentRow(row)
                        break
            return True
        return super().eventFilter(watched, event)
