"""The dry run's sampled row drawn as WhatsApp would show it, in the composer's own bubble
(:class:`~whats91_desktop.ui.compose.preview.BubblePreview`), so both previews look alike."""

from __future__ import annotations

from whats91_desktop.core.models import OutgoingMessage, TemplateInfo, TemplateMessage, TextMessage
from whats91_desktop.ui.compose.preview import BubblePreview, render_body


def show_message(
    preview: BubblePreview, message: OutgoingMessage | None, info: TemplateInfo | None, fallback: str
) -> None:
    """``message`` with its template's parts; ``fallback`` (the engine's plain rendering) when
    the template is not listed or nothing can be sent."""
    if isinstance(message, TextMessage):
        preview.set_content(body_html=render_body(message.text))
    elif isinstance(message, TemplateMessage) and info is not None:
        media = None
        if info.needs_media:
            name = (message.media_url or "").rsplit("/", 1)[-1] or "no media URL"
            media = f"{(info.header_type or '').capitalize()} header · {name}"
        preview.set_content(
            header=info.header_text if (info.header_type or "").upper() == "TEXT" else None,
            header_media=media,
            body_html=render_body(info.body_text, message.parameters),
            footer=info.footer_text,
            buttons=[b.text for b in info.buttons],
        )
    else:
        preview.set_content(body_html=render_body(fallback or "No row can be sent."))
