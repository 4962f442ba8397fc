"""ComposePane end to end through its widgets: what the user fills is what ``send_requested`` carries.

Widgets are found by their documented object names (``ui/compose/pane.py``), as automation
would. Each invalid case checks the three things a user sees: the inline problem next to
the field, a disabled Send, and nothing emitted on Ctrl+Enter.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QColor, QDropEvent, QImage
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QTabBar,
    QToolButton,
    QWidget,
)

from tests.helpers.displayed_text import displayed, stray_ampersands
from whats91_desktop.core import validation
from whats91_desktop.core.meta_schema import meta_examples
from whats91_desktop.core.models import (
    Button,
    ButtonsMessage,
    ListMessage,
    ListRow,
    ListSection,
    MediaMessage,
    MetaMessage,
    TemplateButton,
    TemplateInfo,
    TemplateMessage,
    TextMessage,
)
from whats91_desktop.ui.compose import ComposePane
from whats91_desktop.ui.compose.counters import CountedLineEdit, CountedTextEdit
from whats91_desktop.ui.compose.problems import ProblemLabel
from whats91_desktop.ui.elided_label import ElidedLabel
from whats91_desktop.ui.palette import colour

TO_RAW = "+91 88888-88888"
TO = "918888888888"
SENDER = "919999999999"

PAYMENT = TemplateInfo(
    name="payment_reminder",
    language="en",
    category="UTILITY",
    status="APPROVED",
    body_text="Hi {{1}}, invoice {{2}} of {{3}} is due.",
    header_type="TEXT",
    header_text="Payment due",
    footer_text="Whats91",
    buttons=(TemplateButton("URL", "Pay now", "https://example.com/pay/{{1}}", has_variable=True),),
)
ORDER_PHOTO = TemplateInfo(
    name="order_photo", language="en", category="MARKETING", body_text="Your order {{1}}", header_type="IMAGE"
)
WELCOME = TemplateInfo(name="welcome", language="en", category="MARKETING", body_text="Welcome to Whats91!")


@pytest.fixture
def pane(qtbot) -> Iterator[ComposePane]:
    widget = ComposePane()
    qtbot.addWidget(widget)
    widget.resize(800, 640)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    widget.set_region("IN")
    return widget


def child(pane: ComposePane, cls: type, name: str):
    found = pane.findChild(cls, name)
    assert found is not None, f"no {cls.__name__} named {name!r}"
    return found


def send_button(pane: ComposePane) -> QPushButton:
    return child(pane, QPushButton, "sendButton")


def problem_text(pane: ComposePane, name: str) -> str:
    return "\n".join(child(pane, ProblemLabel, name).messages())


def type_recipient(qtbot, pane: ComposePane, text: str = TO_RAW) -> None:
    edit = child(pane, QLineEdit, "recipientEdit")
    edit.clear()
    qtbot.keyClicks(edit, text)


def sent(qtbot, pane: ComposePane):
    with qtbot.waitSignal(pane.send_requested, timeout=2000) as blocker:
        pane.trigger_send()
    return blocker.args[0]


def assert_refused(qtbot, pane: ComposePane) -> None:
    """Send is disabled (after the debounce) and a send attempt emits nothing."""
    qtbot.waitUntil(lambda: not send_button(pane).isEnabled(), timeout=2000)
    with qtbot.assertNotEmitted(pane.send_requested, wait=50):
        pane.trigger_send()


def wait_problem(qtbot, pane: ComposePane, name: str, *fragments: str) -> None:
    """Wait until label ``name`` says something containing every fragment.

    Fragments are the numbers and names a message must mention, not its exact wording,
    which belongs to core/validation.
    """

    def said() -> bool:
        text = problem_text(pane, name)
        return bool(text) and all(f in text for f in fragments)

    qtbot.waitUntil(said, timeout=2000)


# --------------------------------------------------------------------------- recipient


def test_recipient_shows_the_normalised_number_as_you_type(qtbot, pane):
    type_recipient(qtbot, pane, "08888888888")
    status = child(pane, QLabel, "recipientStatus")
    assert status.text() == "+91 88888 88888 ✓"

    type_recipient(qtbot, pane, "12345")
    assert status.text().startswith("✗ ")
    assert "Too short" in status.text()


def test_recipient_reads_national_numbers_in_the_region_set(qtbot, pane):
    pane.set_region("US")
    type_recipient(qtbot, pane, "650 253 0000")
    assert child(pane, QLabel, "recipientStatus").text() == "+1 650-253-0000 ✓"
    pane.set_region("IN")  # re-read at once: the same digits are an Indian mobile number
    assert child(pane, QLabel, "recipientStatus").text() == "+91 65025 30000 ✓"


def test_recent_recipients_complete_by_substring(qtbot, pane):
    pane.set_recent_recipients(["918888888888", "919999999999", "918888888888"])
    completer = child(pane, QLineEdit, "recipientEdit").completer()
    completer.setCompletionPrefix("8888")
    assert completer.completionCount() == 1
    assert completer.currentCompletion() == "918888888888"


def test_empty_recipient_blocks_send_and_is_focused(qtbot, pane):
    pane.select_tab("text")
    qtbot.keyClicks(child(pane, QPlainTextEdit, "messageEdit"), "Hello")
    assert_refused(qtbot, pane)
    assert "Recipient" in send_button(pane).toolTip()
    assert child(pane, QLabel, "recipientStatus").text().startswith("✗ ")
    qtbot.waitUntil(lambda: QApplication.focusWidget() is child(pane, QLineEdit, "recipientEdit"))


# --------------------------------------------------------------------------- text


def test_text_message_is_sent_normalised_with_the_sender(qtbot, pane):
    pane.set_sender(SENDER)
    type_recipient(qtbot, pane)
    qtbot.keyClicks(child(pane, QPlainTextEdit, "messageEdit"), "Hello *there*")
    assert sent(qtbot, pane) == TextMessage(to=TO, text="Hello *there*", sender_id=SENDER)


def test_ctrl_enter_in_the_message_sends(qtbot, pane):
    type_recipient(qtbot, pane)
    edit = child(pane, QPlainTextEdit, "messageEdit")
    qtbot.keyClicks(edit, "Hi")
    edit.setFocus()
    with qtbot.waitSignal(pane.send_requested, timeout=2000) as blocker:
        qtbot.keyClick(edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert blocker.args[0] == TextMessage(to=TO, text="Hi")
    assert edit.toPlainText() == "Hi"


def test_text_over_4096_shows_the_problem_and_disables_send(qtbot, pane):
    type_recipient(qtbot, pane)
    edit = child(pane, CountedTextEdit, "messageEdit")
    with qtbot.waitSignal(pane.validity_changed, timeout=2000, check_params_cb=lambda ok, _r: not ok) as b:
        edit.setPlainText("x" * (validation.TEXT_MAX + 1))
    assert "4096" in b.args[1]
    wait_problem(qtbot, pane, "textProblem", "4097", "4096")
    assert edit.counter.text() == "4097/4096"
    assert edit.is_over()
    assert "4096" in send_button(pane).toolTip()
    assert_refused(qtbot, pane)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is edit)

    edit.setPlainText("x" * validation.TEXT_MAX)
    qtbot.waitUntil(lambda: send_button(pane).isEnabled(), timeout=2000)
    assert not edit.is_over()
    assert problem_text(pane, "textProblem") == ""


def test_validity_changed_reports_ok_with_an_empty_reason(qtbot, pane):
    type_recipient(qtbot, pane)
    with qtbot.waitSignal(pane.validity_changed, timeout=2000) as blocker:
        qtbot.keyClicks(child(pane, QPlainTextEdit, "messageEdit"), "ok")
    assert blocker.args == [True, ""]
    assert send_button(pane).toolTip() == "Send this message (Ctrl+Enter)"


def test_problems_of_untouched_fields_stay_quiet_until_a_send_attempt(qtbot, pane):
    assert problem_text(pane, "textProblem") == ""
    assert not send_button(pane).isEnabled()
    assert pane.current_problems()  # known, just not shouted
    pane.trigger_send()
    assert problem_text(pane, "textProblem") != ""


def test_an_unmatched_problem_lands_in_the_tab_summary(qtbot, pane):
    pane.set_sender("not-a-number")
    type_recipient(qtbot, pane)
    qtbot.keyClicks(child(pane, QPlainTextEdit, "messageEdit"), "Hi")
    wait_problem(qtbot, pane, "textProblemSummary", "Sender: ")
    assert_refused(qtbot, pane)


def test_set_sending_disables_send_and_blocks_a_second_send(qtbot, pane):
    type_recipient(qtbot, pane)
    qtbot.keyClicks(child(pane, QPlainTextEdit, "messageEdit"), "Hi")
    qtbot.waitUntil(lambda: send_button(pane).isEnabled(), timeout=2000)
    pane.set_sending(True)
    assert not send_button(pane).isEnabled()
    assert send_button(pane).text() == "Sending…"
    with qtbot.assertNotEmitted(pane.send_requested, wait=50):
        pane.trigger_send()
    pane.set_sending(False)
    assert send_button(pane).isEnabled()
    assert send_button(pane).text() == "&Send"


def test_after_sent_clears_only_the_current_tab_body(qtbot, pane):
    type_recipient(qtbot, pane)
    pane.select_tab("buttons")
    child(pane, QPlainTextEdit, "buttonsBodyEdit").setPlainText("Keep me")
    pane.select_tab("text")
    edit = child(pane, QPlainTextEdit, "messageEdit")
    qtbot.keyClicks(edit, "Sent text")
    pane.after_sent(pane.current_message())
    assert edit.toPlainText() == ""
    assert child(pane, QLineEdit, "recipientEdit").text() == TO_RAW
    assert pane.tabs.currentWidget() is pane.text_tab
    assert child(pane, QPlainTextEdit, "buttonsBodyEdit").toPlainText() == "Keep me"
    assert problem_text(pane, "textProblem") == ""  # cleared, not complained about
    edit.undo()
    assert edit.toPlainText() == "Sent text"


# --------------------------------------------------------------------------- media


def test_media_by_url_with_caption(qtbot, pane):
    type_recipient(qtbot, pane)
    pane.select_tab("media")
    combo = child(pane, QComboBox, "mediaTypeCombo")
    combo.setCurrentIndex(combo.findData("video"))
    qtbot.mouseClick(child(pane, QRadioButton, "mediaSourceUrlRadio"), Qt.MouseButton.LeftButton)
    qtbot.keyClicks(child(pane, QLineEdit, "mediaUrlEdit"), "https://example.com/clip.mp4")
    qtbot.keyClicks(child(pane, QPlainTextEdit, "mediaCaptionEdit"), "Watch this")
    assert sent(qtbot, pane) == MediaMessage(
        to=TO, media_type="video", url="https://example.com/clip.mp4", caption="Watch this"
    )


def test_media_document_file_with_filename(qtbot, pane, tmp_path):
    path = tmp_path / "invoice.pdf"
    path.write_bytes(b"%PDF-1.4 test")
    type_recipient(qtbot, pane)
    pane.select_tab("media")
    qtbot.keyClicks(child(pane, QLineEdit, "mediaFileEdit"), str(path))
    combo = child(pane, QComboBox, "mediaTypeCombo")
    combo.setCurrentIndex(combo.findData("document"))
    filename = child(pane, QLineEdit, "mediaFilenameEdit")
    assert filename.isVisible()
    qtbot.keyClicks(filename, "Invoice May.pdf")
    assert sent(qtbot, pane) == MediaMessage(
        to=TO, media_type="document", file_path=path, filename="Invoice May.pdf"
    )


def test_media_by_id(qtbot, pane):
    type_recipient(qtbot, pane)
    pane.select_tab("media")
    qtbot.mouseClick(child(pane, QRadioButton, "mediaSourceIdRadio"), Qt.MouseButton.LeftButton)
    qtbot.keyClicks(child(pane, QLineEdit, "mediaIdEdit"), "1234567890")
    assert sent(qtbot, pane) == MediaMessage(to=TO, media_type="image", media_id="1234567890")


def test_media_without_a_source_is_refused(qtbot, pane):
    type_recipient(qtbot, pane)
    pane.select_tab("media")
    qtbot.mouseClick(child(pane, QRadioButton, "mediaSourceUrlRadio"), Qt.MouseButton.LeftButton)
    assert_refused(qtbot, pane)
    wait_problem(qtbot, pane, "mediaUrlProblem", "URL")  # under the field of the source chosen
    assert "Media" in send_button(pane).toolTip()


def test_media_file_with_a_bad_extension_is_refused(qtbot, pane, tmp_path):
    path = tmp_path / "setup.exe"
    path.write_bytes(b"MZ")
    type_recipient(qtbot, pane)
    pane.select_tab("media")
    qtbot.keyClicks(child(pane, QLineEdit, "mediaFileEdit"), str(path))
    wait_problem(qtbot, pane, "mediaFileProblem", ".exe")
    assert_refused(qtbot, pane)


def test_media_file_of_the_wrong_type_is_refused(qtbot, pane, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF")
    type_recipient(qtbot, pane)
    pane.select_tab("media")
    child(pane, QLineEdit, "mediaFileEdit").setText(str(path))
    combo = child(pane, QComboBox, "mediaTypeCombo")
    combo.setCurrentIndex(combo.findData("image"))
    wait_problem(qtbot, pane, "mediaFileProblem", "pdf", "image")
    assert_refused(qtbot, pane)


def test_media_file_over_16_mb_is_refused_live(qtbot, pane, tmp_path):
    path = tmp_path / "big.mp4"
    with path.open("wb") as handle:
        handle.truncate(validation.UPLOAD_MAX_BYTES + 1)
    type_recipient(qtbot, pane)
    pane.select_tab("media")
    child(pane, QLineEdit, "mediaFileEdit").setText(str(path))
    combo = child(pane, QComboBox, "mediaTypeCombo")
    combo.setCurrentIndex(combo.findData("video"))
    wait_problem(qtbot, pane, "mediaFileProblem", "16 MB")
    assert_refused(qtbot, pane)


def test_missing_file_is_caught(qtbot, pane, tmp_path):
    type_recipient(qtbot, pane)
    pane.select_tab("media")
    child(pane, QLineEdit, "mediaFileEdit").setText(str(tmp_path / "gone.jpg"))
    wait_problem(qtbot, pane, "mediaFileProblem")
    assert_refused(qtbot, pane)


def test_image_file_gets_a_thumbnail(qtbot, pane, tmp_path):
    path = tmp_path / "photo.png"
    image = QImage(400, 200, QImage.Format.Format_RGB32)
    image.fill(QColor("#3a7bd5"))
    assert image.save(str(path))
    pane.select_tab("media")
    # Decoded on a worker thread: the label shows the extension until the thumbnail arrives.
    with qtbot.waitSignal(pane.media_tab.thumbnail_loaded, timeout=5000) as blocker:
        pane.media_tab.set_file(path)
    assert blocker.args == [str(path)]
    pixmap = child(pane, QLabel, "mediaThumbnail").pixmap()
    assert not pixmap.isNull()
    assert pixmap.width() <= 96
    assert pixmap.height() <= 96
    assert "photo.png" in child(pane, QLabel, "mediaFileInfo").text()


def test_dropping_a_file_selects_it_and_its_type(qtbot, pane, tmp_path):
    path = tmp_path / "clip.mp4"
    path.write_bytes(b"\x00" * 10)
    type_recipient(qtbot, pane)
    tab = pane.select_tab("media")
    qtbot.mouseClick(child(pane, QRadioButton, "mediaSourceUrlRadio"), Qt.MouseButton.LeftButton)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(
        QPoint(10, 10).toPointF(),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    tab.dropEvent(event)
    assert child(pane, QComboBox, "mediaTypeCombo").currentData() == "video"
    assert child(pane, QRadioButton, "mediaSourceFileRadio").isChecked()
    assert sent(qtbot, pane) == MediaMessage(to=TO, media_type="video", file_path=path)


def test_audio_hides_the_caption_and_never_sends_one(qtbot, pane):
    type_recipient(qtbot, pane)
    pane.select_tab("media")
    caption = child(pane, QPlainTextEdit, "mediaCaptionEdit")
    caption.setPlainText("ignored for audio")
    combo = child(pane, QComboBox, "mediaTypeCombo")
    combo.setCurrentIndex(combo.findData("audio"))
    assert not caption.isVisible()
    assert not child(pane, QLineEdit, "mediaFilenameEdit").isVisible()
    qtbot.mouseClick(child(pane, QRadioButton, "mediaSourceUrlRadio"), Qt.MouseButton.LeftButton)
    child(pane, QLineEdit, "mediaUrlEdit").setText("https://example.com/a.mp3")
    assert sent(qtbot, pane) == MediaMessage(to=TO, media_type="audio", url="https://example.com/a.mp3")


# --------------------------------------------------------------------------- buttons


def test_buttons_message(qtbot, pane):
    type_recipient(qtbot, pane)
    pane.select_tab("buttons")
    qtbot.keyClicks(child(pane, QPlainTextEdit, "buttonsBodyEdit"), "Confirm your slot?")
    qtbot.keyClicks(child(pane, QLineEdit, "buttonTitleEdit0"), "Yes")
    qtbot.mouseClick(child(pane, QPushButton, "buttonAddButton"), Qt.MouseButton.LeftButton)
    qtbot.keyClicks(child(pane, QLineEdit, "buttonTitleEdit1"), "No")
    id_edit = child(pane, QLineEdit, "buttonIdEdit1")
    id_edit.setText("no_thanks")
    assert sent(qtbot, pane) == ButtonsMessage(
        to=TO, text="Confirm your slot?", buttons=(Button("btn_1", "Yes"), Button("no_thanks", "No"))
    )


def test_button_title_of_21_characters_is_refused(qtbot, pane):
    type_recipient(qtbot, pane)
    pane.select_tab("buttons")
    qtbot.keyClicks(child(pane, QPlainTextEdit, "buttonsBodyEdit"), "Body")
    title = child(pane, CountedLineEdit, "buttonTitleEdit0")
    qtbot.keyClicks(title, "y" * (validation.BUTTON_TITLE_MAX + 1))
    wait_problem(qtbot, pane, "buttonProblem0", "21", "20")
    assert title.counter.text() == "21/20"
    assert title.is_over()
    assert_refused(qtbot, pane)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is title)


def test_a_fourth_button_is_impossible(qtbot, pane):
    pane.select_tab("buttons")
    add = child(pane, QPushButton, "buttonAddButton")
    for _ in range(5):
        qtbot.mouseClick(add, Qt.MouseButton.LeftButton)
    assert len(pane.buttons_tab.rows) == validation.BUTTONS_MAX
    assert not add.isEnabled()
    assert "at most 3" in add.toolTip()
    assert pane.findChild(QLineEdit, "buttonTitleEdit3") is None
    assert pane.buttons_tab.add_row() is False

    child(pane, QLineEdit, "buttonTitleEdit2").setText("third")
    qtbot.mouseClick(child(pane, QToolButton, "buttonRemoveButton0"), Qt.MouseButton.LeftButton)
    assert add.isEnabled()
    assert child(pane, QLineEdit, "buttonTitleEdit1").text() == "third"  # renumbered
    assert pane.findChild(QLineEdit, "buttonTitleEdit2") is None


def test_duplicate_button_ids_point_at_the_second(qtbot, pane):
    type_recipient(qtbot, pane)
    pane.select_tab("buttons")
    child(pane, QPlainTextEdit, "buttonsBodyEdit").setPlainText("Body")
    child(pane, QLineEdit, "buttonTitleEdit0").setText("A")
    pane.buttons_tab.add_row("B", button_id="btn_1")
    assert_refused(qtbot, pane)  # the second ID was never typed: it shows on the send attempt
    wait_problem(qtbot, pane, "buttonProblem1", "btn_1")
    assert problem_text(pane, "buttonProblem0") == ""


# --------------------------------------------------------------------------- list


def test_list_message(qtbot, pane):
    type_recipient(qtbot, pane)
    pane.select_tab("list")
    qtbot.keyClicks(child(pane, QLineEdit, "listHeaderEdit"), "Clinic")
    qtbot.keyClicks(child(pane, QPlainTextEdit, "listBodyEdit"), "Pick a slot")
    qtbot.keyClicks(child(pane, QLineEdit, "listFooterEdit"), "Reply anytime")
    qtbot.keyClicks(child(pane, QLineEdit, "listButtonTextEdit"), "Slots")
    qtbot.keyClicks(child(pane, QLineEdit, "listSectionTitleEdit0"), "Morning")
    qtbot.keyClicks(child(pane, QLineEdit, "listRowTitleEdit0_0"), "9:00")
    qtbot.mouseClick(child(pane, QPushButton, "listAddRowButton0"), Qt.MouseButton.LeftButton)
    qtbot.keyClicks(child(pane, QLineEdit, "listRowTitleEdit0_1"), "10:00")
    qtbot.keyClicks(child(pane, QLineEdit, "listRowDescriptionEdit0_1"), "With Dr. Rao")
    qtbot.mouseClick(child(pane, QPushButton, "listAddSectionButton"), Qt.MouseButton.LeftButton)
    qtbot.keyClicks(child(pane, QLineEdit, "listSectionTitleEdit1"), "Evening")
    qtbot.keyClicks(child(pane, QLineEdit, "listRowTitleEdit1_0"), "18:00")
    assert sent(qtbot, pane) == ListMessage(
        to=TO,
        text="Pick a slot",
        button_text="Slots",
        header_text="Clinic",
        footer_text="Reply anytime",
        sections=(
            ListSection("Morning", (ListRow("row_1", "9:00"), ListRow("row_2", "10:00", "With Dr. Rao"))),
            ListSection("Evening", (ListRow("row_3", "18:00"),)),
        ),
    )


def test_an_eleventh_list_row_is_impossible(qtbot, pane):
    pane.select_tab("list")
    add_row = child(pane, QPushButton, "listAddRowButton0")
    for _ in range(6):
        qtbot.mouseClick(add_row, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(child(pane, QPushButton, "listAddSectionButton"), Qt.MouseButton.LeftButton)
    second = child(pane, QPushButton, "listAddRowButton1")
    for _ in range(5):
        qtbot.mouseClick(second, Qt.MouseButton.LeftButton)
    assert pane.list_tab.total_rows() == validation.LIST_ROWS_MAX
    assert child(pane, QLabel, "listRowCountLabel").text() == "10/10 rows"
    for name in ("listAddRowButton0", "listAddRowButton1", "listAddSectionButton"):
        button = child(pane, QPushButton, name)
        assert not button.isEnabled(), name
        assert "at most 10 rows" in button.toolTip(), name
    assert pane.list_tab.add_row(0) is None
    assert pane.list_tab.add_section() is None
    assert pane.findChild(QLineEdit, "listRowTitleEdit1_4") is None

    qtbot.mouseClick(child(pane, QToolButton, "listRemoveRowButton0_0"), Qt.MouseButton.LeftButton)
    assert child(pane, QPushButton, "listAddRowButton1").isEnabled()
    assert child(pane, QLabel, "listRowCountLabel").text() == "9/10 rows"


def test_list_row_limits_show_next_to_the_row(qtbot, pane):
    type_recipient(qtbot, pane)
    pane.select_tab("list")
    child(pane, QPlainTextEdit, "listBodyEdit").setPlainText("Body")
    child(pane, QLineEdit, "listButtonTextEdit").setText("Open")
    title = child(pane, CountedLineEdit, "listRowTitleEdit0_0")
    qtbot.keyClicks(title, "t" * (validation.ROW_TITLE_MAX + 1))
    description = child(pane, CountedLineEdit, "listRowDescriptionEdit0_0")
    description.setText("d" * (validation.ROW_DESCRIPTION_MAX + 1))
    wait_problem(qtbot, pane, "listRowProblem0_0", "25", "24", "73", "72")
    assert title.counter.text() == "25/24"
    assert description.counter.text() == "73/72"
    assert_refused(qtbot, pane)


def test_two_sections_need_titles(qtbot, pane):
    type_recipient(qtbot, pane)
    pane.select_tab("list")
    child(pane, QPlainTextEdit, "listBodyEdit").setPlainText("Body")
    child(pane, QLineEdit, "listButtonTextEdit").setText("Open")
    child(pane, QLineEdit, "listRowTitleEdit0_0").setText("One")
    pane.list_tab.add_section()
    child(pane, QLineEdit, "listRowTitleEdit1_0").setText("Two")
    assert_refused(qtbot, pane)
    wait_problem(qtbot, pane, "listSectionProblem1")


# --------------------------------------------------------------------------- template


def pick_template(qtbot, pane: ComposePane, name: str) -> None:
    listing = child(pane, QListWidget, "templateList")
    item = listing.findItems(name, Qt.MatchFlag.MatchExactly)[0]
    qtbot.mouseClick(listing.viewport(), Qt.MouseButton.LeftButton, pos=listing.visualItemRect(item).center())
    assert child(pane, QLineEdit, "templateNameEdit").text() == name


def test_template_message_with_body_and_button_variables(qtbot, pane):
    type_recipient(qtbot, pane)
    pane.select_tab("template")
    pane.set_templates([PAYMENT, ORDER_PHOTO, WELCOME])
    pick_template(qtbot, pane, "payment_reminder")
    for index, value in enumerate(("Asha", "INV-1")):
        qtbot.keyClicks(child(pane, QLineEdit, f"templateParamEdit{index}"), value)
    child(pane, QLineEdit, "templateParamEdit2").setText("₹500")  # QTest types ASCII only
    qtbot.keyClicks(child(pane, QLineEdit, "templateButtonParamEdit0"), "inv1")
    assert pane.findChild(QLineEdit, "templateParamEdit3") is None
    assert not child(pane, QLineEdit, "templateMediaUrlEdit").isVisible()
    assert sent(qtbot, pane) == TemplateMessage(
        to=TO,
        template_name="payment_reminder",
        parameters=("Asha", "INV-1", "₹500"),
        button_parameters=("inv1",),
    )


def test_template_with_an_empty_variable_is_refused_and_highlighted(qtbot, pane):
    type_recipient(qtbot, pane)
    pane.select_tab("template")
    pane.set_templates([PAYMENT])
    pick_template(qtbot, pane, "payment_reminder")
    child(pane, QLineEdit, "templateParamEdit0").setText("Asha")
    child(pane, QLineEdit, "templateParamEdit2").setText("₹500")
    child(pane, QLineEdit, "templateButtonParamEdit0").setText("inv1")
    assert_refused(qtbot, pane)  # {{2}} was never edited: it shows once a send is tried
    wait_problem(qtbot, pane, "templateParamProblem1", "{{2}}")
    assert problem_text(pane, "templateParamProblem0") == ""
    body = pane.template_tab.preview.body_html()
    assert "Hi Asha, invoice " in body
    assert colour("unfilled") in body
    assert "{{2}}" in body
    assert "{{1}}" not in body
    assert "₹500" in body


def test_template_with_an_image_header_needs_media(qtbot, pane):
    type_recipient(qtbot, pane)
    pane.select_tab("template")
    pane.set_templates([PAYMENT, ORDER_PHOTO])
    pick_template(qtbot, pane, "order_photo")
    child(pane, QLineEdit, "templateParamEdit0").setText("#42")
    url = child(pane, QLineEdit, "templateMediaUrlEdit")
    assert url.isVisible()
    assert_refused(qtbot, pane)
    wait_problem(qtbot, pane, "templateMediaProblem", "image")
    url.setText("https://example.com/order.jpg")
    assert sent(qtbot, pane) == TemplateMessage(
        to=TO, template_name="order_photo", parameters=("#42",), media_url="https://example.com/order.jpg"
    )


def test_template_search_filters_the_list(qtbot, pane):
    pane.select_tab("template")
    pane.set_templates([PAYMENT, ORDER_PHOTO, WELCOME])
    listing = child(pane, QListWidget, "templateList")
    qtbot.keyClicks(child(pane, QLineEdit, "templateSearchEdit"), "MARKET")
    visible = [listing.item(i).text() for i in range(listing.count()) if not listing.item(i).isHidden()]
    assert visible == ["order_photo", "welcome"]


def test_templates_wanted_on_first_show_and_on_refresh(qtbot, pane):
    with qtbot.waitSignal(pane.templates_wanted, timeout=1000):
        pane.select_tab("template")
    assert "Loading" in child(pane, QLabel, "templateStatusLabel").text()
    with qtbot.assertNotEmitted(pane.templates_wanted, wait=50):
        pane.select_tab("text")
        pane.select_tab("template")
    with qtbot.waitSignal(pane.templates_wanted, timeout=1000):
        qtbot.mouseClick(child(pane, QPushButton, "templateRefreshButton"), Qt.MouseButton.LeftButton)


def test_templates_not_wanted_when_already_loaded(qtbot, pane):
    pane.set_templates([WELCOME])
    with qtbot.assertNotEmitted(pane.templates_wanted, wait=50):
        pane.select_tab("template")


def test_the_list_or_its_error_is_announced_for_the_other_rooms_but_edits_are_not(qtbot, pane):
    tab = pane.template_tab
    with qtbot.waitSignal(tab.listed, timeout=1000):
        pane.set_templates(None, "The template list could not be read: HTTP 503")
    assert tab.load_error() == "The template list could not be read: HTTP 503"
    with qtbot.waitSignal(tab.listed, timeout=1000):
        pane.set_templates([WELCOME])
    assert tab.load_error() is None
    pane.select_tab("template")
    with qtbot.assertNotEmitted(tab.listed, wait=50):
        child(pane, QLineEdit, "templateNameEdit").setText("welcome")


def test_template_list_error_keeps_manual_entry_usable(qtbot, pane):
    type_recipient(qtbot, pane)
    pane.select_tab("template")
    pane.set_templates(None, "HTTP 503 · try later")
    status = child(pane, QLabel, "templateStatusLabel")
    assert "HTTP 503 · try later" in status.text()
    assert not child(pane, QListWidget, "templateList").isEnabled()
    name = child(pane, QLineEdit, "templateNameEdit")
    assert name.isEnabled()
    qtbot.keyClicks(name, "order_update")
    child(pane, QAbstractSpinBox, "templateVarCountSpin").setValue(2)
    child(pane, QLineEdit, "templateParamEdit0").setText("Asha")
    child(pane, QLineEdit, "templateParamEdit1").setText("shipped")
    assert sent(qtbot, pane) == TemplateMessage(
        to=TO, template_name="order_update", parameters=("Asha", "shipped")
    )


def test_a_template_without_variables_sends_none(qtbot, pane):
    type_recipient(qtbot, pane)
    pane.select_tab("template")
    pane.set_templates([WELCOME])
    pick_template(qtbot, pane, "welcome")
    assert pane.findChild(QLineEdit, "templateParamEdit0") is None
    assert sent(qtbot, pane) == TemplateMessage(to=TO, template_name="welcome")


# --------------------------------------------------------------------------- Meta JSON


def example_action(pane: ComposePane, name: str):
    button = child(pane, QToolButton, "metaExampleButton")
    for submenu_action in button.menu().actions():
        submenu = submenu_action.menu()
        for action in submenu.actions() if submenu is not None else ():
            if action.data() == name:
                return action
    raise AssertionError(f"{name!r} not in the example menu")


def test_every_meta_example_is_in_the_menu(pane):
    for name in meta_examples():
        example_action(pane, name)


def test_insert_example_fills_valid_json_for_the_recipient(qtbot, pane):
    type_recipient(qtbot, pane)
    pane.select_tab("meta")
    example_action(pane, "Send Text Message").trigger()
    text = child(pane, QPlainTextEdit, "metaJsonEdit").toPlainText()
    payload = json.loads(text)
    assert payload["to"] == TO
    assert payload["type"] == "text"
    message = sent(qtbot, pane)
    assert message == MetaMessage(payload=payload)
    assert child(pane, QLabel, "metaEndpointLabel").text() == "POST /messages"


@pytest.mark.parametrize("name", list(meta_examples()))
def test_every_example_inserts_as_json_addressed_to_the_recipient(qtbot, pane, name):
    type_recipient(qtbot, pane)
    pane.select_tab("meta")
    pane.meta_tab.insert_example(name)
    payload = json.loads(child(pane, QPlainTextEdit, "metaJsonEdit").toPlainText())
    expected = meta_examples()[name]
    assert payload.keys() == expected.keys()
    if "to" in expected:
        assert payload["to"] == TO


def test_meta_json_with_a_phone_number_id(qtbot, pane):
    type_recipient(qtbot, pane)
    pane.select_tab("meta")
    pane.meta_tab.insert_example("Send Text Message")
    qtbot.keyClicks(child(pane, QLineEdit, "metaPhoneNumberIdEdit"), "100000000000001")
    assert child(pane, QLabel, "metaEndpointLabel").text() == "POST /100000000000001/messages"
    message = sent(qtbot, pane)
    assert isinstance(message, MetaMessage)
    assert message.phone_number_id == "100000000000001"
    assert message.payload["to"] == TO


def test_invalid_json_is_refused(qtbot, pane):
    pane.select_tab("meta")
    qtbot.keyClicks(child(pane, QPlainTextEdit, "metaJsonEdit"), '{"to": "918888888888",')
    wait_problem(qtbot, pane, "metaJsonProblem", "Not valid JSON")
    assert_refused(qtbot, pane)
    assert pane.current_message() is None


def test_a_schema_problem_is_refused(qtbot, pane):
    pane.select_tab("meta")
    child(pane, QPlainTextEdit, "metaJsonEdit").setPlainText(
        '{"messaging_product": "whatsapp", "to": "918888888888", "type": "text", "text": {}}'
    )
    wait_problem(qtbot, pane, "metaJsonProblem", "JSON text.body")
    assert_refused(qtbot, pane)
    assert pane.current_message() is not None
    assert any(p.field == "payload.text.body" for p in pane.current_problems())


def test_meta_recipient_comes_from_the_json_not_the_field(qtbot, pane):
    pane.select_tab("meta")
    child(pane, QPlainTextEdit, "metaJsonEdit").setPlainText(
        '{"messaging_product": "whatsapp", "to": "+91 88888 88888", "type": "text", "text": {"body": "Hi"}}'
    )
    message = sent(qtbot, pane)  # the empty recipient field does not block it
    assert message.payload["to"] == TO  # normalised by check_message


def test_format_button_reindents(qtbot, pane):
    pane.select_tab("meta")
    edit = child(pane, QPlainTextEdit, "metaJsonEdit")
    edit.setPlainText('{"a": {"b": 1}}')
    qtbot.mouseClick(child(pane, QPushButton, "metaFormatButton"), Qt.MouseButton.LeftButton)
    assert edit.toPlainText() == '{\n  "a": {\n    "b": 1\n  }\n}'
    edit.setPlainText("{oops")
    qtbot.mouseClick(child(pane, QPushButton, "metaFormatButton"), Qt.MouseButton.LeftButton)
    assert edit.toPlainText() == "{oops"


# --------------------------------------------------------------------------- accessibility


def focused_name() -> str:
    widget = QApplication.focusWidget()
    return widget.objectName() if widget is not None else "(nothing)"


def _is_internal(widget: QWidget) -> bool:
    """Qt's own sub-widgets: spin box editors, tab bar arrows, line edit clear buttons."""
    internal_parents = (QAbstractSpinBox, QTabBar, QComboBox, QLineEdit)
    return isinstance(widget.parentWidget(), internal_parents) or widget.objectName().startswith("qt_")


def test_every_interactive_widget_has_an_accessible_name(qtbot, pane):
    pane.set_templates([PAYMENT, ORDER_PHOTO])
    pane.template_tab.select_template("payment_reminder")
    pane.list_tab.add_section()
    pane.buttons_tab.add_row()
    kinds = (QLineEdit, QPlainTextEdit, QAbstractButton, QComboBox, QAbstractSpinBox, QListWidget)
    checked = [w for kind in kinds for w in pane.findChildren(kind) if not _is_internal(w)]
    assert len(checked) > 50  # the check really ran over the whole pane
    missing = [f"{type(w).__name__} {w.objectName()!r}" for w in checked if not w.accessibleName()]
    assert missing == []


def test_tab_walks_the_button_rows_in_order(qtbot, pane):
    pane.select_tab("buttons")
    pane.buttons_tab.add_row()
    names = [
        "buttonIdEdit0",
        "buttonTitleEdit0",
        "buttonRemoveButton0",
        "buttonIdEdit1",
        "buttonTitleEdit1",
        "buttonRemoveButton1",
        "buttonAddButton",
    ]
    child(pane, QWidget, names[0]).setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is child(pane, QWidget, names[0]))
    for name in names[1:]:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is child(pane, QWidget, name), focused_name()


def test_tab_walks_list_rows_added_later_in_screen_order(qtbot, pane):
    pane.select_tab("list")
    pane.list_tab.add_row(0)
    names = [
        "listRowIdEdit0_0",
        "listRowTitleEdit0_0",
        "listRowDescriptionEdit0_0",
        "listRemoveRowButton0_0",
        "listRowIdEdit0_1",
        "listRowTitleEdit0_1",
        "listRowDescriptionEdit0_1",
        "listRemoveRowButton0_1",
        "listAddRowButton0",
        "listAddSectionButton",
    ]
    child(pane, QWidget, names[0]).setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is child(pane, QWidget, names[0]))
    for name in names[1:]:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is child(pane, QWidget, name), focused_name()


def test_tab_walks_from_the_template_name_through_its_variables(qtbot, pane):
    pane.select_tab("template")
    pane.set_templates([PAYMENT])
    pane.template_tab.select_template("payment_reminder")
    names = ["templateNameEdit", "templateParamEdit0", "templateParamEdit1", "templateParamEdit2"]
    names.append("templateButtonParamEdit0")
    child(pane, QWidget, names[0]).setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is child(pane, QWidget, names[0]))
    for name in names[1:]:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is child(pane, QWidget, name), focused_name()


def test_tab_walks_the_manual_template_counts_before_the_variables(qtbot, pane):
    pane.select_tab("template")
    pane.set_templates(None, "offline")
    pane.template_tab.select_template("my_template")
    child(pane, QAbstractSpinBox, "templateVarCountSpin").setValue(1)
    names = ["templateNameEdit", "templateVarCountSpin", "templateButtonVarCountSpin", "templateParamEdit0"]
    child(pane, QWidget, names[0]).setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is child(pane, QWidget, names[0]))
    for name in names[1:]:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        focus = QApplication.focusWidget()
        target = child(pane, QWidget, name)
        assert focus is target or target.isAncestorOf(focus), focused_name()


# --------------------------------------------------------------------------- a composer that helps

OTP = TemplateInfo(
    name="login_otp",
    language="en",
    category="AUTHENTICATION",
    status="APPROVED",
    body_text="{{1}} is your verification code.",
    buttons=(TemplateButton("COPY_CODE", "Copy code", has_variable=True),),
)


def status_line(pane: ComposePane) -> ElidedLabel:
    return child(pane, ElidedLabel, "composeStatusLabel")


def test_placeholders_left_from_an_example_block_send_each_with_its_path(qtbot, pane):
    type_recipient(qtbot, pane)
    pane.select_tab("meta")
    pane.meta_tab.insert_example("Send Reply Button")
    edit = child(pane, QPlainTextEdit, "metaJsonEdit")
    assert_refused(qtbot, pane)
    fields = [p.field for p in pane.current_problems()]
    assert fields[:2] == ["payload.interactive.body.text", "payload.interactive.action.buttons[0].reply.id"]
    wait_problem(qtbot, pane, "metaJsonProblem", "JSON interactive.body.text", "<BUTTON_TEXT>")
    assert "5 problems" in status_line(pane).text()
    assert edit.textCursor().selectedText() == "<BUTTON_TEXT>"  # the send attempt selected the first one
    text = edit.toPlainText()
    for token, value in (
        ("<BUTTON_TEXT>", "Pick one"),
        ("<UNIQUE_BUTTON_ID_1>", "yes"),
        ("<BUTTON_TITLE_1>", "Yes"),
        ("<UNIQUE_BUTTON_ID_2>", "no"),
        ("<BUTTON_TITLE_2>", "No"),
    ):
        text = text.replace(token, value)
    edit.setPlainText(text)
    message = sent(qtbot, pane)
    assert isinstance(message, MetaMessage)
    assert message.payload["interactive"]["body"]["text"] == "Pick one"


def test_a_placeholder_inside_a_key_is_found_too(qtbot, pane):
    type_recipient(qtbot, pane)
    pane.select_tab("meta")
    pane.meta_tab.insert_example("Send Draft Flow by ID")
    assert_refused(qtbot, pane)
    fields = [p.field for p in pane.current_problems()]
    assert "payload.interactive.action.parameters.flow_action_payload.data.<CUSTOM_KEY>" in fields
    assert "payload.interactive.action.parameters.flow_id" in fields  # {{Flow-ID}}


def test_an_inserted_example_keeps_metas_key_order(qtbot, pane):
    type_recipient(qtbot, pane)
    pane.select_tab("meta")
    pane.meta_tab.insert_example("Send List Message")
    text = child(pane, QPlainTextEdit, "metaJsonEdit").toPlainText()
    assert list(json.loads(text)) == ["messaging_product", "recipient_type", "to", "type", "interactive"]
    assert text.index('"messaging_product"') < text.index('"to"') < text.index('"interactive"')
    assert text.index('"header"') < text.index('"body"') < text.index('"footer"') < text.index('"action"')


def test_the_meta_json_stays_after_a_send(qtbot, pane):
    type_recipient(qtbot, pane)
    pane.select_tab("meta")
    pane.meta_tab.insert_example("Send Text Message")
    edit = child(pane, QPlainTextEdit, "metaJsonEdit")
    before = edit.toPlainText()
    message = sent(qtbot, pane)
    pane.after_sent(message)
    pane.meta_tab.clear_body()  # the tab itself never clears the payload either
    assert edit.toPlainText() == before
    assert sent(qtbot, pane) == message  # ready to send again as it is


def open_recent_numbers(qtbot, pane: ComposePane, typed: str) -> tuple[QLineEdit, QWidget]:
    """Type into the recipient until the recent-numbers popup is up; the field and the popup."""
    pane.set_recent_recipients(["918888888888", "919999999999"])
    recipient = child(pane, QLineEdit, "recipientEdit")
    recipient.setFocus()
    qtbot.keyClicks(recipient, typed)
    popup = recipient.completer().popup()
    qtbot.waitUntil(popup.isVisible, timeout=2000)
    return recipient, popup


def test_the_first_click_after_the_recent_numbers_popup_goes_to_the_message_box(qtbot, pane):
    recipient, popup = open_recent_numbers(qtbot, pane, "9188")
    message = child(pane, QPlainTextEdit, "messageEdit")
    where = message.viewport().mapTo(pane, message.viewport().rect().center())
    # Through the window, as the windowing system delivers it: the popup sees the press first.
    qtbot.mouseClick(pane.windowHandle(), Qt.MouseButton.LeftButton, pos=where)
    assert not popup.isVisible()
    assert QApplication.focusWidget() is message
    qtbot.keyClicks(QApplication.focusWidget(), "Hello")
    assert message.toPlainText() == "Hello"
    assert recipient.text() == "9188"


def test_a_pick_in_the_recent_numbers_popup_still_completes_the_number(qtbot, pane):
    recipient, popup = open_recent_numbers(qtbot, pane, "9199")
    rect = popup.visualRect(popup.model().index(0, 0))
    qtbot.mouseClick(popup.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert recipient.text() == "919999999999"


def test_nothing_is_called_a_problem_before_the_user_types(qtbot, pane):
    labels = pane.findChildren(ProblemLabel)
    assert len(labels) > 20
    assert [label.objectName() for label in labels if label.messages()] == []
    assert child(pane, QLabel, "recipientStatus").text() == ""
    line = status_line(pane)
    assert "problem" not in line.text()
    assert line.text() == "To send, fill in: Recipient, Message"
    assert colour("muted") in line.styleSheet()
    assert not send_button(pane).isEnabled()
    assert "problem" not in send_button(pane).toolTip()

    qtbot.keyClicks(child(pane, QPlainTextEdit, "messageEdit"), "Hello")
    qtbot.waitUntil(lambda: line.text() == "To send, fill in: Recipient", timeout=2000)
    type_recipient(qtbot, pane, "12345")
    qtbot.waitUntil(lambda: line.text().startswith("Recipient: "), timeout=2000)
    assert colour("problem") in line.styleSheet()


def test_an_untouched_field_stays_quiet_while_its_neighbour_is_edited(qtbot, pane):
    type_recipient(qtbot, pane)
    pane.select_tab("buttons")
    qtbot.keyClicks(child(pane, QPlainTextEdit, "buttonsBodyEdit"), "Pick one")
    qtbot.waitUntil(lambda: "Button 1 title" in status_line(pane).text(), timeout=2000)
    assert problem_text(pane, "buttonProblem0") == ""  # the title was never typed into
    assert "fill in" in status_line(pane).text()
    assert_refused(qtbot, pane)  # a send attempt shows it
    wait_problem(qtbot, pane, "buttonProblem0", "title")


def _positions(pane: ComposePane, names: list[str]) -> dict[str, tuple[int, int, int, int]]:
    found = {}
    for name in names:
        widget = child(pane, QWidget, name)
        corner = widget.mapTo(pane, QPoint(0, 0))
        found[name] = (corner.x(), corner.y(), widget.width(), widget.height())
    return found


@pytest.mark.parametrize(
    ("kind", "names"),
    [
        ("text", ["messageEdit", "sendButton"]),
        ("media", ["mediaFileEdit", "mediaCaptionEdit", "sendButton"]),
        ("buttons", ["buttonsBodyEdit", "buttonTitleEdit0", "buttonAddButton", "sendButton"]),
        ("list", ["listBodyEdit", "listButtonTextEdit", "listRowTitleEdit0_0", "listAddSectionButton"]),
        (
            "template",
            ["templateNameEdit", "templateParamEdit1", "templateButtonParamEdit0", "templatePreview"],
        ),
        ("meta", ["metaJsonEdit", "metaEndpointLabel", "sendButton"]),
    ],
)
def test_problems_appearing_move_no_field(qtbot, pane, kind, names):
    pane.set_templates([PAYMENT])
    pane.template_tab.select_template("payment_reminder")
    pane.select_tab(kind)
    qtbot.wait(50)
    before = _positions(pane, names)
    if kind == "media":
        child(pane, QComboBox, "mediaTypeCombo").setCurrentIndex(1)  # video: caption shown
        child(pane, QComboBox, "mediaTypeCombo").setCurrentIndex(0)
    pane.trigger_send()  # every problem at once
    shown = [label for label in pane.findChildren(ProblemLabel) if label.messages() and label.isVisible()]
    assert shown  # there really are problems on screen now
    qtbot.wait(50)
    assert _positions(pane, names) == before


def test_the_problems_are_listed_beside_send_without_hovering(qtbot, pane):
    type_recipient(qtbot, pane, "12345")
    pane.trigger_send()
    line = status_line(pane)
    assert line.isVisible()
    assert line.text().startswith("2 problems: Recipient: ")
    assert "Message: " in line.text()
    assert line.displayed_lines()  # painted, not only in a tooltip
    assert line.width() > 300


def open_template(qtbot, pane: ComposePane, info: TemplateInfo) -> None:
    """Address the message and pick ``info`` from a list holding only it, as a user would."""
    type_recipient(qtbot, pane)
    pane.select_tab("template")
    pane.set_templates([info])
    pick_template(qtbot, pane, info.name)


def test_a_url_buttons_variable_shows_the_url_it_completes(qtbot, pane):
    open_template(qtbot, pane, PAYMENT)
    preview = child(pane, ElidedLabel, "templateButtonParamUrlPreview0")
    assert preview.text() == "Opens https://example.com/pay/{{1}}"
    qtbot.keyClicks(child(pane, QLineEdit, "templateButtonParamEdit0"), "INV-1")
    assert preview.text() == "Opens https://example.com/pay/INV-1"  # live, as it is typed


def test_an_authentication_code_is_typed_once_for_body_and_button(qtbot, pane):
    open_template(qtbot, pane, OTP)
    code = child(pane, QLineEdit, "templateParamEdit0")
    assert code.accessibleName() == "Code"
    assert pane.findChild(QLineEdit, "templateButtonParamEdit0") is None
    assert_refused(qtbot, pane)
    wait_problem(qtbot, pane, "templateParamProblem0", "{{1}}")
    assert len(pane.current_problems()) == 1  # one field, one problem: not also "Button variable 1"
    qtbot.keyClicks(code, "482913")
    assert sent(qtbot, pane) == TemplateMessage(
        to=TO, template_name="login_otp", parameters=("482913",), button_parameters=("482913",)
    )


@pytest.mark.parametrize(
    ("media_type", "noun"),
    [("image", "an image"), ("video", "a video"), ("audio", "an audio file"), ("document", "a document")],
)
def test_media_copy_uses_the_right_article(qtbot, pane, monkeypatch, media_type, noun):
    asked: list[str] = []

    def fake_dialog(_parent, caption, _start, _filters):
        asked.append(caption)
        return "", ""

    monkeypatch.setattr("whats91_desktop.ui.compose.media_tab.QFileDialog.getOpenFileName", fake_dialog)
    pane.select_tab("media")
    combo = child(pane, QComboBox, "mediaTypeCombo")
    combo.setCurrentIndex(combo.findData(media_type))
    browse = child(pane, QPushButton, "mediaBrowseButton")
    assert browse.toolTip().startswith(f"Choose {noun} to send")
    qtbot.mouseClick(browse, Qt.MouseButton.LeftButton)
    assert asked == [f"Choose {noun} to send"]


def test_no_label_in_the_compose_pane_shows_a_literal_ampersand(qtbot, pane):
    pane.set_templates([PAYMENT])
    pane.template_tab.select_template("payment_reminder")
    for kind in pane.tab_by_kind:
        pane.select_tab(kind)
        assert len(displayed(pane)) > 5  # the walk sees the tab's texts
        assert stray_ampersands(pane) == [], kind


def assert_nothing_clipped(qtbot, compose: ComposePane) -> None:
    """Every tab's widgets lie inside the pane, no button's text is cut, no tab bar scrolls."""
    assert compose.minimumSizeHint().width() <= compose.width()  # nothing needs squeezing
    recipient = child(compose, QLineEdit, "recipientEdit")
    assert recipient.width() >= recipient.fontMetrics().horizontalAdvance(recipient.placeholderText())
    bar = compose.tabs.tabBar()
    assert all(bar.tabRect(i).right() <= bar.width() for i in range(bar.count()))  # no scroll arrows
    for kind in compose.tab_by_kind:
        tab = compose.select_tab(kind)
        qtbot.wait(100)
        width = compose.width()
        for widget in tab.findChildren(QWidget):
            if not widget.isVisibleTo(compose) or isinstance(
                widget.parentWidget(), QComboBox | QAbstractSpinBox
            ):
                continue
            corner = widget.mapTo(compose, QPoint(0, 0))
            name = f"{kind}: {widget.objectName() or type(widget).__name__}"
            assert corner.x() >= 0, name
            assert corner.x() + widget.width() <= width, name
            if isinstance(widget, QPushButton | QToolButton | QRadioButton) and widget.text():
                assert widget.width() >= widget.sizeHint().width(), f"{name}: {widget.text()!r} is cut"
        for area in tab.findChildren(QScrollArea):
            assert not area.horizontalScrollBar().isVisible(), kind
        for name in ("sendButton", "composeStatusLabel"):
            widget = child(compose, QWidget, name)
            corner = widget.mapTo(compose, QPoint(0, 0))
            assert compose.rect().contains(corner), name
            assert corner.y() + widget.height() <= compose.height(), name
        assert status_line(compose).width() > 300


def test_the_compose_pane_clips_nothing_in_a_1024x640_window(qtbot, window):
    window.resize(1024, 640)
    window.compose.set_templates([PAYMENT, OTP])
    window.compose.template_tab.select_template("payment_reminder")
    qtbot.wait(100)
    assert_nothing_clipped(qtbot, window.compose)


def test_the_compose_pane_clips_nothing_at_the_width_a_1024_window_gives_it(qtbot, pane):
    pane.set_templates([PAYMENT, OTP])
    pane.template_tab.select_template("payment_reminder")
    pane.resize(435, 565)  # the composer's share of a 1024x640 window, with the log beside it
    qtbot.wait(100)
    assert pane.width() == 435
    assert_nothing_clipped(qtbot, pane)
