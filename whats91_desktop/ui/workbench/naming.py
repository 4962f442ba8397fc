"""The name "Save request…" proposes: what the message is, in a few words, not yet taken.

A list of requests called "Request 1", "Request 2" helps nobody; the template's name, the
first words of the text or the media and its recipient usually say which one it is.
"""

from __future__ import annotations

from whats91_desktop.core.models import MediaMessage, MetaMessage, OutgoingMessage, TemplateMessage
from whats91_desktop.ui.workbench.saved_panel import KIND_TITLES, recipient_text

WORDS_MAX = 40


def suggested_name(message: OutgoingMessage, taken: set[str]) -> str:
    """A name for ``message`` that is not in ``taken`` (casefolded names)."""
    base = _describe(message)
    name, number = base, 2
    while name.casefold() in taken:
        name, number = f"{base} ({number})", number + 1
    return name


def _describe(message: OutgoingMessage) -> str:
    match message:
        case TemplateMessage():
            return message.template_name or "Template"
        case MediaMessage():
            what = message.media_type.capitalize()
            return f"{what} to {recipient_text(message.to)}" if message.to else what
        case MetaMessage():
            kind = message.payload.get("type")
            return f"Meta {kind}" if isinstance(kind, str) and kind else "Meta JSON"
    first = message.text.strip().splitlines()[0] if message.text.strip() else ""
    if len(first) > WORDS_MAX:
        first = first[: WORDS_MAX - 1].rstrip() + "…"
    return first or KIND_TITLES[message.kind]
