"""The request preview: what Send would send now, as method, path and body, variables resolved.

Integrators read the exact body before sending, as Postman shows it beside the request; with
``{{variables}}`` it is also where they see what a name became. Built from the same request
description the client sends (``core.requests.message_request``), so it cannot disagree.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from whats91_desktop.core.errors import ValidationError
from whats91_desktop.core.models import OutgoingMessage
from whats91_desktop.core.requests import JsonPost, message_request


def preview_text(message: OutgoingMessage | None, used: Sequence[str], values: Mapping[str, str]) -> str:
    """The preview of ``message`` (resolved), headed by the variables it used and their values."""
    if message is None:
        return "Nothing to send yet."
    try:
        request = message_request(message)
    except ValidationError as err:
        return f"No request can be made: {err}"
    lines = [f"{{{{{name}}}}} = {values.get(name, '')}" for name in used]
    if lines:
        lines.append("")
    lines += [f"POST {request.path}", ""]
    if isinstance(request, JsonPost):
        lines.append(json.dumps(dict(request.body), indent=2, ensure_ascii=False))
    else:
        for name, value in request.fields.items():
            lines += [f"{name}: {item}" for item in (value if isinstance(value, list) else [value])]
        lines.append(f"{request.file_field}: <file {request.file_path}>")
    return "\n".join(lines)
