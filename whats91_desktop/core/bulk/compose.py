"""One audience row's message, from the spec's column mapping.

A text message names columns as ``{column}`` placeholders (``Hello {name}, order {order id}
ships today``); single braces, so the profile's ``{{variables}}`` (resolved once for the whole
job, before any row) and Meta's ``{{1}}`` never read as columns. A row's values go in as they
are: a value that looks like a placeholder is not expanded again.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from whats91_desktop.core.bulk.models import Audience, AudienceRow, BulkSpec
from whats91_desktop.core.models import OutgoingMessage, TemplateMessage, TextMessage

COLUMN_PLACEHOLDER = re.compile(r"(?<!\{)\{([^{}\r\n]+)\}(?!\})")


def placeholders(text: str) -> list[str]:
    """The column names ``text`` uses, each once, in order of first use."""
    return list(dict.fromkeys(m.group(1).strip() for m in COLUMN_PLACEHOLDER.finditer(text)))


def fill_text(text: str, values: dict[str, str]) -> str:
    """``text`` with each ``{column}`` replaced by the row's value (unknown names left as written)."""
    return COLUMN_PLACEHOLDER.sub(lambda m: values.get(m.group(1).strip(), m.group(0)), text)


def render_row(audience: Audience, spec: BulkSpec, row: AudienceRow) -> OutgoingMessage:
    """The message ``row`` gets (not validated: the dry run checks it)."""
    to = audience.value(row, spec.to_column)
    if spec.template_name is not None:
        media = audience.value(row, spec.header_media_column) if spec.header_media_column else ""
        return TemplateMessage(
            to=to,
            template_name=spec.template_name,
            parameters=_values(audience, row, spec.param_columns),
            button_parameters=_values(audience, row, spec.button_param_columns),
            media_url=media or None,
            sender_id=spec.sender_id,
        )
    return TextMessage(
        to=to, text=fill_text(spec.text or "", audience.as_dict(row)), sender_id=spec.sender_id
    )


def _values(audience: Audience, row: AudienceRow, columns: Sequence[str]) -> tuple[str, ...]:
    return tuple(audience.value(row, column) for column in columns)
