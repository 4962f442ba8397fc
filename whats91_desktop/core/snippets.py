"""Copy as code: a send as a short Python (httpx) or JavaScript (fetch) program that repeats it.

Integrators test a request here and then write it into their own code; a program that runs as
pasted saves them the translation. Each program is built from the request the client itself
would send (``core.requests.message_request``): the same path, body and form fields. The curl
form lives beside the other request-as-text functions (``core.redact.curl_command``).

The token is never written out unless the caller passes it (the user ticked "Include token"
and saw the warning): the program reads ``WHATS91_TOKEN`` from the environment instead, as the
curl command does. Credentials in a body (a Meta payload's ``access_token``, say) are
redacted the same way. An upload opens the file at its path when the program runs: the path
is this computer's, so the program says so.
"""

from __future__ import annotations

import enum
import json
import mimetypes
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from whats91_desktop.core.models import (
    DEFAULT_READ_TIMEOUT,
    MediaMessage,
    MetaMessage,
    OutgoingMessage,
    TemplateMessage,
)
from whats91_desktop.core.redact import REDACTED, TOKEN_ENV_VAR, is_token_field, redact_json_body
from whats91_desktop.core.requests import JsonPost, UploadPost, json_content, message_request
from whats91_desktop.core.urls import check_base_url

_ACCEPT = ("Accept", "application/json")
_MEDIA_WORDS = {"image": "an image", "video": "a video", "audio": "an audio clip", "document": "a document"}


class Language(enum.StrEnum):
    PYTHON = "python"
    JAVASCRIPT = "javascript"

    @property
    def label(self) -> str:
        """How a menu names it."""
        return {"python": "Python (httpx)", "javascript": "JavaScript (fetch)"}[self.value]


def snippet(
    language: Language,
    message: OutgoingMessage,
    *,
    base_url: str,
    token: str | None = None,
    timeout: float = DEFAULT_READ_TIMEOUT,
    note: str | None = None,
) -> str:
    """A program that sends ``message`` to ``base_url`` once and prints the answer.

    ``token`` None (the default) makes the program read ``WHATS91_TOKEN``; a token is written
    out as given. ``note`` is one more comment line at the top (e.g. where the built-in
    sandbox can be reached). Raises ``ConfigError`` for a base URL the client would refuse
    and ``ValidationError`` for a message that has no request at all.
    """
    request = message_request(message)
    comments = [f"Sends {_describe(message)} through the Whats91 API once, and prints the answer."]
    if token is None:
        comments.append(f"Set {TOKEN_ENV_VAR} to the profile's API token before running it.")
    else:
        comments.append("It contains the API token: do not share it or commit it.")
    upload: _Upload | None = None
    if isinstance(request, JsonPost):
        json_content(request.body)  # the client's own check: a body with no JSON form is refused
        body: Any = dict(request.body) if token is not None else redact_json_body(request.body)
    else:
        upload = _Upload.of(request)
        comments.append(f"It uploads {upload.path}, a file on the computer that made it.")
        body = {
            name: REDACTED if token is None and is_token_field(name) else value
            for name, value in request.fields.items()
        }
    if note:
        comments.append(note)
    spec = _Spec(check_base_url(base_url) + request.path, body, upload, token, timeout, comments)
    return _python(spec) if language is Language.PYTHON else _javascript(spec)


@dataclass(frozen=True)
class _Upload:
    field: str
    path: str
    name: str
    mime: str

    @classmethod
    def of(cls, request: UploadPost) -> _Upload:
        path = request.file_path
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return cls(request.file_field, str(path), path.name, mime)


@dataclass(frozen=True)
class _Spec:
    """What both languages write, already redacted."""

    url: str
    body: Any
    """The JSON body, or the form fields of an upload."""
    upload: _Upload | None
    token: str | None
    timeout: float
    comments: list[str]


def _describe(message: OutgoingMessage) -> str:
    match message:
        case MediaMessage():
            return _MEDIA_WORDS.get(message.media_type, "a media message")
        case TemplateMessage():
            return f"the template {message.template_name}"
        case MetaMessage():
            return "a Meta JSON message"
    return f"a {message.kind} message"


# --------------------------------------------------------------------------- Python


def _python(spec: _Spec) -> str:
    needs = "Needs Python 3.8 or later and httpx (pip install httpx)."
    lines = [f"# {line}" for line in (spec.comments[0], needs, *spec.comments[1:])]
    lines += ["", *(["import os", ""] if spec.token is None else []), "import httpx", ""]
    if spec.token is None:
        auth = f'f"Bearer {{os.environ[{TOKEN_ENV_VAR!r}]}}"'
    else:
        auth = repr(f"Bearer {spec.token}")
    headers = [f"{_py('Authorization')}: {auth}", f"{_py(_ACCEPT[0])}: {_py(_ACCEPT[1])}"]
    arguments = [_py(spec.url), "headers={\n" + "".join(f"        {h},\n" for h in headers) + "    }"]
    pad = ""
    if spec.upload is None:
        arguments.append(f"json={_py(spec.body, 4)}")
    else:
        up = spec.upload
        lines.append(f"with open({_py(up.path)}, 'rb') as upload:")
        pad = "    "  # the call goes inside the ``with`` that opens the file
        arguments.append(f"data={_py(spec.body, 4)}")
        arguments.append(f"files={{{_py(up.field)}: ({_py(up.name)}, upload, {_py(up.mime)})}}")
    arguments.append(f"timeout={float(spec.timeout)!r}")
    call = ["response = httpx.post(", *(f"    {argument}," for argument in arguments), ")"]
    lines += [pad + line for text in call for line in text.split("\n")]
    lines += ["print(response.status_code)", "print(response.text)"]
    return "\n".join(lines) + "\n"


def _py(value: Any, indent: int = 0) -> str:
    """``value`` (parsed JSON) as a Python literal, one item per line, at ``indent`` spaces."""
    inner = " " * (indent + 4)
    if isinstance(value, Mapping):
        if not value:
            return "{}"
        items = [f"{inner}{_py(str(k))}: {_py(v, indent + 4)}," for k, v in value.items()]
        return "{\n" + "\n".join(items) + "\n" + " " * indent + "}"
    if isinstance(value, Sequence) and not isinstance(value, str):
        if not value:
            return "[]"
        items = [f"{inner}{_py(v, indent + 4)}," for v in value]
        return "[\n" + "\n".join(items) + "\n" + " " * indent + "]"
    return repr(value)


# --------------------------------------------------------------------------- JavaScript


def _javascript(spec: _Spec) -> str:
    needs = "Needs Node.js 18 or later (built-in fetch)."
    lines = [f"// {line}" for line in (spec.comments[0], needs, *spec.comments[1:])]
    lines += ["", "(async () => {"]
    from_env = f"`Bearer ${{process.env.{TOKEN_ENV_VAR}}}`"
    auth = from_env if spec.token is None else _js(f"Bearer {spec.token}")
    headers = [f"{_js('Authorization')}: {auth}", f"{_js(_ACCEPT[0])}: {_js(_ACCEPT[1])}"]
    if spec.upload is None:
        headers.append(f"{_js('Content-Type')}: {_js('application/json')}")
        lines.append(f"  const body = JSON.stringify({_js(spec.body, 2)});")
    else:
        up = spec.upload
        lines.append('  const { readFile } = await import("node:fs/promises");')
        lines.append("  const body = new FormData();")
        for key, value in spec.body.items():
            lines += [f"  body.append({_js(key)}, {_js(item)});" for item in _as_list(value)]
        blob = f"new Blob([await readFile({_js(up.path)})], {{ type: {_js(up.mime)} }})"
        lines.append(f"  body.append({_js(up.field)}, {blob}, {_js(up.name)});")
    lines += [f"  const response = await fetch({_js(spec.url)}, {{", '    method: "POST",', "    headers: {"]
    lines += [f"      {header}," for header in headers]
    lines += [
        "    },",
        "    body,",
        f"    signal: AbortSignal.timeout({round(spec.timeout * 1000)}),",
        "  });",
        "  console.log(response.status);",
        "  console.log(await response.text());",
        "})();",
    ]
    return "\n".join(lines) + "\n"


def _as_list(value: str | list[str]) -> list[str]:
    """A form field's values: repeated fields (``parameters[]``) are appended once each."""
    return value if isinstance(value, list) else [value]


def _js(value: Any, indent: int = 0) -> str:
    """``value`` (parsed JSON) as a JavaScript literal (JSON is one), indented by ``indent``."""
    text = json.dumps(value, ensure_ascii=False, indent=2)
    return text.replace("\n", "\n" + " " * indent) if indent else text
