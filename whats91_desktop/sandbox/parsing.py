"""Request-body parsing for the sandbox: JSON objects and multipart forms (stdlib ``email``).

Multipart field names follow the PHP/Express bracket convention the Whats91 docs use:
``parameters[]=a`` repeated gives a list, ``buttons[0][id]=x`` gives a list of objects. A plain
name repeated (``parameters=a``, ``parameters=b``) also gives a list.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from dataclasses import dataclass
from email import policy
from email.parser import BytesParser
from email.utils import collapse_rfc2231_value
from typing import Any


class BodyError(ValueError):
    """The body cannot be read as what its content type says."""


@dataclass(frozen=True)
class FilePart:
    field_name: str
    filename: str
    content_type: str | None
    data: bytes

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def extension(self) -> str:
        _, dot, ext = self.filename.rpartition(".")
        return ext.lower() if dot else ""


def media_type(content_type: str | None) -> str:
    """``multipart/form-data; boundary=x`` -> ``multipart/form-data``; '' when absent."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def is_json(content_type: str | None) -> bool:
    kind = media_type(content_type)
    return kind == "application/json" or (kind.startswith("application/") and kind.endswith("+json"))


def is_multipart(content_type: str | None) -> bool:
    return media_type(content_type) == "multipart/form-data"


def parse_json_object(body: bytes) -> dict[str, Any]:
    try:
        value = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise BodyError(f"Request body is not valid JSON: {err}") from None
    except RecursionError:
        raise BodyError("Request body is nested too deeply") from None
    if not isinstance(value, dict):
        raise BodyError("Request body must be a JSON object")
    return value


_JSON_LOOKING_FIELDS = frozenset(
    {"parameters", "buttonParameters", "button_parameters", "buttons", "sections", "list", "interactive_list"}
)


def parse_multipart(content_type: str, body: bytes) -> tuple[dict[str, Any], dict[str, FilePart]]:
    """Text fields (unflattened) and file parts by field name."""
    if "boundary=" not in content_type.lower():
        raise BodyError("multipart/form-data body without a boundary")
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1", "replace")
    message = BytesParser(policy=policy.HTTP).parsebytes(head + body)
    if not message.is_multipart():
        raise BodyError("Malformed multipart/form-data body")
    pairs: list[tuple[str, str]] = []
    files: dict[str, FilePart] = {}
    for part in message.iter_parts():
        raw_name = part.get_param("name", header="content-disposition")
        if not raw_name:
            continue
        name = collapse_rfc2231_value(raw_name)
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        filename = part.get_filename()
        if filename is not None:
            if filename == "" and not data:
                continue  # an empty file input, as browsers send it
            files[name] = FilePart(name, filename, part.get_content_type(), data)
            continue
        charset = part.get_content_charset() or "utf-8"
        try:
            text = data.decode(charset, errors="replace")
        except LookupError:
            text = data.decode("utf-8", errors="replace")
        pairs.append((name, text))
    fields = unflatten(pairs)
    for key in _JSON_LOOKING_FIELDS & fields.keys():
        value = fields[key]
        if isinstance(value, str) and value.strip()[:1] in ("[", "{"):
            with contextlib.suppress(json.JSONDecodeError, RecursionError):
                fields[key] = json.loads(value)
    return fields, files


_KEY = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])*)$")
_SEGMENT = re.compile(r"\[([^\[\]]*)\]")


def _segments(key: str) -> list[str]:
    match = _KEY.match(key)
    if not match:
        return [key]
    return [match.group(1), *_SEGMENT.findall(match.group(2))]


def unflatten(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """``[("a[]", "1"), ("a[]", "2"), ("b[0][id]", "x")]`` -> ``{"a": ["1", "2"], "b": [{"id": "x"}]}``."""
    root: dict[str, Any] = {}
    for key, value in pairs:
        segments = _segments(key)
        node = root
        for index, segment in enumerate(segments):
            if segment == "":
                segment = str(len(node))
            if index == len(segments) - 1:
                existing = node.get(segment)
                if isinstance(existing, list):
                    existing.append(value)
                elif isinstance(existing, str):
                    node[segment] = [existing, value]
                else:
                    node[segment] = value
            else:
                child = node.get(segment)
                if not isinstance(child, dict):
                    child = {}
                    node[segment] = child
                node = child
    return _listify(root)


def _listify(node: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in node.items():
        result[key] = _listify_value(value)
    return result


def _listify_value(value: Any) -> Any:
    if isinstance(value, dict):
        converted = _listify(value)
        if converted and all(k.isdigit() for k in converted):
            return [converted[k] for k in sorted(converted, key=int)]
        return converted
    return value
