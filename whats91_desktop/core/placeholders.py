"""Placeholders left in a JSON body from one of Meta's examples: ``<BUTTON_TEXT>``, ``{{Flow-ID}}``.

Meta's request examples mark what the sender must fill in with tokens that are themselves valid
strings, so a schema check passes them and Meta would deliver "<BUTTON_TEXT>" to a customer.
These are the three forms the examples use, found in values and in keys alike (a flow's
``"<CUSTOM_KEY>": "<CUSTOM_VALUE>"``):

- ``<UPPER_SNAKE>`` (``-`` works as a separator too): anywhere in a string when it has a
  separator (``Hi <CUSTOMER_NAME>,``), or as the whole string when it is one word (``<SKU>``),
  so that ordinary text such as "press <ENTER>" inside a sentence is left alone;
- ``<http(s)://audio-url>``: a URL still to be chosen;
- ``{{Recipient-Phone-Number}}``: Postman-style variables, capitalised words joined by ``-``
  (a template's ``{{1}}`` or an integrator's own ``{{customer}}`` is not one of them).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from whats91_desktop.core.models import Problem

__all__ = ["Placeholder", "find_placeholders", "placeholder_problems"]

_WORD = r"[A-Z][A-Z0-9]*"
_ANYWHERE = re.compile(
    rf"<{_WORD}(?:[_-][A-Z0-9]+)+>"  # <BODY_TEXT>, <DOCUMENT-CAPTION-TEXT>
    r"|<https?\(s\)://[^<>\s]*>"  # <http(s)://audio-url>
    r"|\{\{[A-Z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)+\}\}"  # {{Recipient-Phone-Number}}
)
_WHOLE = re.compile(rf"<{_WORD}>")


@dataclass(frozen=True)
class Placeholder:
    """``token`` found at ``path``; ``in_key`` when it is the name of a key, not a value."""

    path: str
    token: str
    in_key: bool = False


def _tokens(text: str) -> list[str]:
    whole = _WHOLE.fullmatch(text.strip())
    return [whole.group(0)] if whole else _ANYWHERE.findall(text)


def find_placeholders(value: Any, path: str = "payload") -> Iterator[Placeholder]:
    """Every placeholder in ``value`` (depth first, in key order), with its ``payload.…`` path.

    A loop, not recursion: a payload nested deeper than Python's recursion limit is checked
    like any other (the schema then says it is not allowed), never a crash.
    """
    stack: list[tuple[bool, Any, str]] = [(False, value, path)]  # (is a key, item, its path)
    while stack:
        is_key, item, where = stack.pop()
        if isinstance(item, str):
            yield from (Placeholder(where, token, in_key=is_key) for token in _tokens(item))
        elif isinstance(item, Mapping):
            for key, child in reversed(list(item.items())):
                stack.append((False, child, f"{where}.{key}"))
                stack.append((True, key, f"{where}.{key}"))  # popped first: the key, then its value
        elif isinstance(item, list | tuple):
            stack.extend(
                (False, child, f"{where}[{index}]") for index, child in reversed(list(enumerate(item)))
            )


def placeholder_problems(value: Any, path: str = "payload") -> list[Problem]:
    """One problem per placeholder: they block a send as surely as a schema error does."""
    problems = []
    for found in find_placeholders(value, path):
        if found.in_key:
            message = f"Rename the key {found.token}: it is a placeholder from Meta's example."
        else:
            message = f"Replace {found.token}: it is a placeholder from Meta's example."
        problems.append(Problem(found.path, message))
    return problems
