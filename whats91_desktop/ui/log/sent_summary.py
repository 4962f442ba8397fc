"""The summary's "What was sent": the text, the template with its variables filled in, the
media's caption and file name, the buttons, the list, or the Meta payload's gist.

Pure HTML building from the composed message the log keeps (``message_json``); every value is
escaped here. A template's body is filled in when its text is known (the template list of
the profile in use); otherwise its variables are listed by number.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Sequence
from typing import assert_never

from whats91_desktop.core.models import (
    ButtonsMessage,
    ListMessage,
    MediaMessage,
    MetaMessage,
    OutgoingMessage,
    TemplateMessage,
    TextMessage,
)
from whats91_desktop.ui.palette import colour

TemplateBody = Callable[[str], str | None]
"""The body text of a template by name (``{{1}}`` placeholders), or None when not known."""

_VARIABLE = re.compile(r"\{\{\s*(\d+)\s*\}\}")
META_PREVIEW_CHARS = 1200


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value))


def _block(text: str) -> str:
    """Text as the person will read it: line breaks kept."""
    return (
        f'<p style="margin-top:2px;background:{colour("surface")};padding:6px;white-space:pre-wrap">'
        + _e(text).replace("\n", "<br>")
        + "</p>"
    )


def _fields(rows: Sequence[tuple[str, str | None]]) -> str:
    cells = "".join(
        f'<tr><td style="color:{colour("muted")};padding-right:10px">{_e(k)}</td><td>{_e(v)}</td></tr>'
        for k, v in rows
        if v
    )
    return f'<table cellspacing="0" cellpadding="1">{cells}</table>' if cells else ""


def fill_template(body: str, parameters: tuple[str, ...]) -> str:
    """``body`` with ``{{n}}`` replaced by the n-th parameter (left as is when there is none)."""

    def value(match: re.Match[str]) -> str:
        index = int(match.group(1)) - 1
        return parameters[index] if 0 <= index < len(parameters) else match.group(0)

    return _VARIABLE.sub(value, body)


def sent_html(message: OutgoingMessage | None, template_body: TemplateBody | None = None) -> str:
    """The "What was sent" section; empty when the row kept no composed message."""
    if message is None:
        return ""
    out = ['<p style="margin-top:10px"><b>What was sent</b></p>']
    match message:
        case TextMessage():
            out.append(_block(message.text))
        case MediaMessage():
            source = message.file_path.name if message.file_path else (message.url or message.media_id)
            out.append(
                _fields(
                    [
                        ("Media", message.media_type),
                        (
                            "File name",
                            message.filename or (message.file_path.name if message.file_path else None),
                        ),
                        ("Source", source),
                        ("Caption", message.caption),
                    ]
                )
            )
        case TemplateMessage():
            body = template_body(message.template_name) if template_body is not None else None
            out.append(_fields([("Template", message.template_name), ("Header media", message.media_url)]))
            if body:
                out.append(_block(fill_template(body, message.parameters)))
            out.append(
                _fields(
                    [(f"{{{{{i}}}}}", value) for i, value in enumerate(message.parameters, 1)]
                    + [(f"Button {{{{{i}}}}}", value) for i, value in enumerate(message.button_parameters, 1)]
                )
            )
        case ButtonsMessage():
            out.append(_block(message.text))
            out.append(_fields([(f"Button {i}", b.title) for i, b in enumerate(message.buttons, 1)]))
        case ListMessage():
            out.append(
                _block("\n".join(p for p in (message.header_text, message.text, message.footer_text) if p))
            )
            rows = [("List button", message.button_text)]
            for section in message.sections:
                rows.append((section.title or "Section", " · ".join(r.title for r in section.rows)))
            out.append(_fields(rows))
        case MetaMessage():
            text = json.dumps(dict(message.payload), indent=2, ensure_ascii=False)
            if len(text) > META_PREVIEW_CHARS:
                text = text[:META_PREVIEW_CHARS] + "\n… (the whole payload is in the Request tab)"
            out.append(f'<pre style="background:{colour("surface")};padding:6px">{_e(text)}</pre>')
        case _:
            assert_never(message)
    return "\n".join(part for part in out if part)
