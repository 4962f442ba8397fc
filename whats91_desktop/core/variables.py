"""``{{name}}`` variables: a profile's plain values, put into a message when it is checked and sent.

An integrator keeps one saved request ("Order update for {{customer}}") and sends it through
each profile with that profile's values, as Postman and Bruno do with environments. The
composer resolves every message before it checks it, so the limits apply to the text that
is sent, the preview shows it, and a name the profile does not define is a problem that
blocks Send, on the field that uses it. What is saved keeps the ``{{name}}`` references.

Names are identifiers (letters, digits and ``_``, not starting with a digit), so Meta's
``{{1}}`` template placeholders and its ``{{Recipient-Phone-Number}}`` example markers are
never taken for variables. A value is inserted as it is: a ``{{…}}`` inside a value is not
resolved again, so no value can loop. Values are plain settings, never secrets (the
settings refuse a token-shaped value).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeAlias

from whats91_desktop.core.models import OutgoingMessage, Problem
from whats91_desktop.core.serialize import message_from_dict, message_to_dict

Variables: TypeAlias = tuple[tuple[str, str], ...]
"""``(name, value)`` pairs in the order the user keeps them."""

NAME_MAX = 64
VALUE_MAX = 4096
VARIABLES_MAX = 200

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
REFERENCE = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")

# A message's fields, as message_to_dict names them, that validation reports under another
# path (the compose tabs show problems by validation's paths).
_PROBLEM_PATHS = {
    "url": "media.url",
    "media_url": "media.url",
    "file_path": "media.file",
    "media_file": "media.file",
    "sender_id": "sender",
}


def check_name(name: str) -> str | None:
    """Why ``name`` cannot be a variable's name, or None."""
    if not name:
        return "a variable needs a name"
    if len(name) > NAME_MAX:
        return f"{name[:20]}…: at most {NAME_MAX} characters"
    if not _NAME.fullmatch(name):
        return f"{name!r}: letters, digits and _ only, not starting with a digit"
    return None


def references(text: str) -> list[str]:
    """The variable names ``text`` uses, each once, in order of first use."""
    return list(dict.fromkeys(REFERENCE.findall(text)))


def resolve_text(text: str, values: Mapping[str, str]) -> str:
    """``text`` with every defined ``{{name}}`` replaced; undefined ones are left as written."""
    if "{{" not in text:
        return text
    return REFERENCE.sub(lambda m: values.get(m.group(1), m.group(0)), text)


@dataclass(frozen=True)
class Resolution:
    message: OutgoingMessage
    """The message with every defined variable put in (the same object when it uses none)."""
    problems: tuple[Problem, ...] = ()
    """One per field that uses a name the profile does not define."""
    used: tuple[str, ...] = ()
    """The defined names the message uses, in order of first use."""


def resolve_message(message: OutgoingMessage, values: Mapping[str, str]) -> Resolution:
    """Put the profile's ``values`` into every text of ``message`` (a Meta payload's keys and
    values at any depth included), and say which names it uses that are not defined."""
    data = message_to_dict(message)
    found = _references_by_path(data)
    if not found:
        return Resolution(message)
    used: dict[str, None] = {}
    problems = []
    for path, names in found:
        missing = [name for name in names if name not in values]
        used.update((name, None) for name in names if name in values)
        if missing:
            problems.append(Problem(path, _undefined_text(missing)))
    if used:
        try:
            message = _substituted(data, values)
        except RecursionError:  # a payload with no JSON form: it cannot be sent either way
            problems.append(Problem("payload", "Nested too deeply to put variables in."))
    return Resolution(message, tuple(problems), tuple(used))


def _substituted(data: dict[str, Any], values: Mapping[str, str]) -> OutgoingMessage:
    """Every text of a message is a JSON string, and a reference can only sit inside one, so
    replacing in the JSON text (with the value escaped for JSON) is exact at any depth."""
    text = REFERENCE.sub(
        lambda m: (
            json.dumps(values[m.group(1)], ensure_ascii=False)[1:-1] if m.group(1) in values else m.group(0)
        ),
        json.dumps(data, ensure_ascii=False),
    )
    return message_from_dict(json.loads(text))


def _undefined_text(names: list[str]) -> str:
    shown = ", ".join(f"{{{{{name}}}}}" for name in names)
    if len(names) == 1:
        return f"{shown} is not defined for this profile: add it under Variables…"
    return f"{shown} are not defined for this profile: add them under Variables…"


def _references_by_path(data: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """``(problem path, names)`` for every text that uses a variable, in field order.

    Iterative, as validation's walk is: a Meta payload may be nested deeper than Python's
    recursion limit.
    """
    found: list[tuple[str, list[str]]] = []
    pending: list[tuple[Any, str]] = [
        (value, _PROBLEM_PATHS.get(key, key)) for key, value in reversed(data.items())
    ]
    while pending:
        value, path = pending.pop()
        if isinstance(value, str):
            names = references(value)
            if names:
                found.append((path, names))
        elif isinstance(value, Mapping):
            for key, item in reversed(list(value.items())):
                names = references(str(key))
                if names:
                    found.append((path, names))
                pending.append((item, f"{path}.{key}"))
        elif isinstance(value, list | tuple):
            pending.extend((item, f"{path}[{i}]") for i, item in reversed(list(enumerate(value))))
    return found


# --------------------------------------------------------------------------- settings form


def variables_to_json(variables: Variables) -> dict[str, str]:
    """The settings file keeps them as one JSON object, in the user's order."""
    return dict(variables)


def variables_from_json(raw: Any) -> Any:
    """Pairs from the settings file's object (what is not an object is returned for the
    settings' check to refuse); values the token scrub removed (None) are dropped."""
    if not isinstance(raw, Mapping):
        return raw
    return tuple((str(name), value) for name, value in raw.items() if value is not None)
