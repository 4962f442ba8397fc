"""The one place that knows what is secret, and how to show a request without it.

Header names and body field names that carry credentials are listed here and nowhere else.
Everything that turns a request into text for a person (the log pane, ``raw_request``, the
"copy as curl" action, log records) goes through these functions.

httpx is imported only where a request or a URL is taken apart: the log filter
(:class:`RedactingFilter`, :func:`redact_text`) is installed at every start, the window's
included, and must not load the HTTP stack; whoever passes an ``httpx`` object has loaded it.
"""

from __future__ import annotations

import base64
import functools
import json
import logging
import re
import shlex
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, quote, quote_plus, urlencode

if TYPE_CHECKING:
    import httpx

REDACTED = "[REDACTED]"
TOKEN_ENV_VAR = "WHATS91_TOKEN"
FILE_PATHS_EXTENSION = "whats91.file_paths"
"""Request extension: ``{multipart field name: local path}``, so ``curl_command`` can say ``@path``."""
FORMATTED_EXTENSION = "whats91.formatted"
"""Request extension: the request's ``format_request`` text, once :func:`formatted_request` made it."""

SENSITIVE_HEADERS = frozenset(
    {
        "authorization",
        "proxy-authorization",
        "x-api-key",
        "api-key",
        "x-auth-token",
        "cookie",
        "set-cookie",
        "x-webhook-secret",
    }
)
TOKEN_FIELDS = frozenset(
    name.casefold()
    for name in (
        "authToken",
        "auth_token",
        "token",
        "accessToken",
        "access_token",
        "apiKey",
        "api_key",
        "password",
        "secret",
        "signingSecret",
    )
)
_SKIP_IN_CURL = frozenset({"host", "content-length", "connection", "accept-encoding"})

_BEARER = re.compile(r"(?i)\b(bearer)\s+(?!\[REDACTED\])[A-Za-z0-9\-._~+/]+=*")
_W91_TOKEN = re.compile(r"\bw91_(?:live|public|test)_[A-Za-z0-9_]{6,}")
# The shapes below are built from TOKEN_FIELDS and SENSITIVE_HEADERS, so a name added there is
# scrubbed everywhere (query/form pairs, JSON pairs, header lines) without a second list.
_FIELD_NAMES = "|".join(sorted(map(re.escape, TOKEN_FIELDS), key=len, reverse=True))
_HEADER_NAMES = "|".join(sorted(map(re.escape, SENSITIVE_HEADERS), key=len, reverse=True))
_TOKEN_PARAM = re.compile(rf"(?i)(?<![A-Za-z0-9])({_FIELD_NAMES})=(?!\[REDACTED\])[^&\s\"']+")
_TOKEN_JSON = re.compile(rf'(?i)("(?:{_FIELD_NAMES}|{_HEADER_NAMES})"\s*:\s*)"(?:[^"\\]|\\.)*"')
_SECRET_HEADER_LINE = re.compile(rf"(?im)^(\s*(?:{_HEADER_NAMES})\s*:\s*)(?!.*\[REDACTED\]).+$")
# What each shape cannot match without, in lower case. Telling from these that a pattern has
# nothing to do is exact only for ASCII text: under (?i) a few other letters (ſ, ı, İ, K) match
# ASCII ones, so other text is always handed to the patterns.
_PARAM_NEEDLES = tuple(f"{name}=" for name in TOKEN_FIELDS)
_JSON_NEEDLES = tuple(f'"{name}"' for name in TOKEN_FIELDS | SENSITIVE_HEADERS)
_SCRUBBED_BEARER = f"bearer {REDACTED.lower()}"


def is_sensitive_header(name: str) -> bool:
    return name.strip().lower() in SENSITIVE_HEADERS


def is_token_field(name: str) -> bool:
    return name.strip().casefold() in TOKEN_FIELDS


def redact_header_value(name: str, value: str) -> str:
    """``Bearer [REDACTED]`` for credentials with a scheme, ``[REDACTED]`` otherwise."""
    if not is_sensitive_header(name):
        return value
    scheme, _, rest = value.strip().partition(" ")
    if rest and name.strip().lower() in ("authorization", "proxy-authorization"):
        return f"{scheme} {REDACTED}"
    return REDACTED


def redact_headers(
    headers: httpx.Headers | Mapping[str, str] | Iterable[tuple[str, str]],
) -> list[tuple[str, str]]:
    """Header pairs in order, sensitive values replaced. Repeated headers stay repeated."""
    import httpx

    if isinstance(headers, httpx.Headers):
        pairs: Iterable[tuple[str, str]] = headers.multi_items()
    elif isinstance(headers, Mapping):
        pairs = headers.items()
    else:
        pairs = headers
    return [(name, redact_header_value(name, value)) for name, value in pairs]


def redact_json_body(value: Any) -> Any:
    """A copy of a parsed JSON value with every token field's value replaced, at any depth."""
    if isinstance(value, Mapping):
        return {
            key: (REDACTED if isinstance(key, str) and is_token_field(key) else redact_json_body(item))
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [redact_json_body(item) for item in value]
    return value


def redact_url(url: httpx.URL | str) -> str:
    """The URL with token query parameters and any userinfo password replaced."""
    import httpx

    parsed = httpx.URL(url) if isinstance(url, str) else url
    userinfo = parsed.userinfo.decode("ascii", "replace")
    if parsed.query:
        pairs = parse_qsl(parsed.query.decode("ascii", "replace"), keep_blank_values=True)
        if any(is_token_field(key) for key, _ in pairs):
            safe = [(key, REDACTED if is_token_field(key) else value) for key, value in pairs]
            parsed = parsed.copy_with(query=urlencode(safe, safe="[]").encode("ascii"))
    text = str(parsed)
    if ":" in userinfo:
        user = userinfo.split(":", 1)[0]
        text = text.replace(f"{userinfo}@", f"{user}:{REDACTED}@", 1)
    return text


def redact_text(text: str, secrets: Iterable[str] = ()) -> str:
    """Scrub known secrets and anything shaped like a credential.

    A known secret is scrubbed verbatim and in the encodings a server or a proxy may echo it
    in: URL-encoded (with ``/`` escaped or left as it is), escaped inside a JSON string (with
    ``/`` as ``\\/`` too, as PHP writes it), and base64 (standard or URL-safe, with or without
    padding). The shapes: ``Bearer <x>``, ``w91_live_…`` tokens, ``token=`` query/form pairs,
    ``"authToken": "…"`` JSON pairs and ``Authorization:``-style header lines.

    Each shape's pattern runs only when the text holds what it cannot match without (in ASCII
    text: the field or header name itself, a bearer not yet scrubbed), so the common case (an
    id, a short message, a request already formatted with its credentials redacted) costs a
    few substring tests. This runs several times per send, on the event loop.
    """
    result = text
    for form in _variants(frozenset(secrets)):
        if form in result:
            result = result.replace(form, REDACTED)
    lowered = result.lower()
    exact = result.isascii()  # whether ``lowered`` tells exactly what the (?i) patterns see
    if "bearer" in lowered and not (exact and lowered.count("bearer") == lowered.count(_SCRUBBED_BEARER)):
        result = _BEARER.sub(lambda m: f"{m.group(1)} {REDACTED}", result)
    if "w91_" in result:
        result = _W91_TOKEN.sub(REDACTED, result)
    if "=" in result and not (exact and not any(n in lowered for n in _PARAM_NEEDLES)):
        result = _TOKEN_PARAM.sub(lambda m: f"{m.group(1)}={REDACTED}", result)
    if ":" in result:
        if not (exact and not any(n in lowered for n in _JSON_NEEDLES)):
            result = _TOKEN_JSON.sub(lambda m: f'{m.group(1)}"{REDACTED}"', result)
        if not (exact and not any(n in lowered for n in SENSITIVE_HEADERS)):
            result = _SECRET_HEADER_LINE.sub(lambda m: f"{m.group(1)}{REDACTED}", result)
    return result


def redact_json_strings(value: Any, secrets: Iterable[str] = ()) -> Any:
    """A copy of parsed JSON with :func:`redact_text` applied to every string, keys included.

    Iterative, not recursive: JSON a server sent may be nested as deep as the parser allowed,
    which is as deep as Python's recursion limit.
    """
    known = tuple(secrets)

    def scrub(item: Any) -> Any:
        return redact_text(item, known) if isinstance(item, str) else item

    if not isinstance(value, dict | list):
        return scrub(value)
    root: dict[Any, Any] | list[Any] = {} if isinstance(value, dict) else []
    pending: list[tuple[Any, dict[Any, Any] | list[Any]]] = [(value, root)]
    while pending:
        source, target = pending.pop()
        pairs = source.items() if isinstance(source, dict) else enumerate(source)
        for key, item in pairs:
            copy: Any
            if isinstance(item, dict | list):
                copy = {} if isinstance(item, dict) else []
                pending.append((item, copy))
            else:
                copy = scrub(item)
            if isinstance(target, dict):
                target[scrub(key)] = copy
            else:
                target.append(copy)
    return root


@functools.lru_cache(maxsize=64)
def _variants(secrets: frozenset[str]) -> tuple[str, ...]:
    """Every encoded form of ``secrets``, longest first (a form may contain a shorter one)."""
    forms = {form for secret in secrets if secret for form in _encodings(secret)}
    return tuple(sorted(forms, key=len, reverse=True))


def _encodings(secret: str) -> set[str]:
    raw = secret.encode("utf-8", "surrogatepass")
    escaped = {json.dumps(secret)[1:-1], json.dumps(secret, ensure_ascii=False)[1:-1]}
    forms = {
        secret,
        quote(secret, safe=""),
        quote(secret, safe="/"),
        quote_plus(secret, safe=""),
        quote_plus(secret, safe="/"),
        *escaped,
        *(form.replace("/", "\\/") for form in escaped),
    }
    if len(secret) >= 4:  # the base64 of a very short string would match ordinary text
        for b64 in (base64.b64encode(raw), base64.urlsafe_b64encode(raw)):
            text = b64.decode("ascii")
            forms |= {text, text.rstrip("=")}
    return {form for form in forms if form}


class RedactingFilter(logging.Filter):
    """Scrubs tokens from log records. Attach it to handlers (a logger's filters do not see
    records propagated from child loggers).

    ``secrets_provider`` is called per record so that a token changed at run time is known.
    The record's message is formatted, scrubbed and frozen (``args`` cleared); exception and
    stack text are formatted now and scrubbed too.
    """

    def __init__(self, secrets_provider: Callable[[], Iterable[str]] | None = None, name: str = "") -> None:
        super().__init__(name)
        self._secrets_provider = secrets_provider

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            secrets = tuple(self._secrets_provider()) if self._secrets_provider is not None else ()
        except Exception as err:  # noqa: BLE001 - a keychain hiccup: neither raise into the caller nor leak
            record.msg = (
                f"[log record withheld: the secrets to scrub could not be read ({type(err).__name__})]"
            )
            record.args = None
            record.exc_info = record.exc_text = record.stack_info = None
            return True
        try:
            message = record.getMessage()
        except (TypeError, ValueError, KeyError):
            message = f"{record.msg} {record.args!r}"
        record.msg = redact_text(message, secrets)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact_text(record.exc_text, secrets)
        if record.stack_info:
            record.stack_info = redact_text(record.stack_info, secrets)
        return True


# --------------------------------------------------------------------------- requests as text


@dataclass(frozen=True)
class FormPart:
    """One multipart field, as found in the encoded body."""

    name: str
    value: bytes
    filename: str | None = None
    content_type: str | None = None

    @property
    def is_file(self) -> bool:
        return self.filename is not None

    def text(self) -> str:
        return self.value.decode("utf-8", "replace")


def split_multipart(content: bytes, content_type: str) -> list[FormPart] | None:
    """The parts of a ``multipart/form-data`` body, or None when it cannot be read as one."""
    match = re.search(r'boundary="?([^";]+)"?', content_type)
    if not match:
        return None
    delimiter = b"--" + match.group(1).encode("latin-1")
    chunks = content.split(delimiter)
    if len(chunks) < 3:
        return None
    parts: list[FormPart] = []
    for chunk in chunks[1:]:
        if chunk.startswith(b"--"):
            break
        chunk = chunk.removeprefix(b"\r\n").removesuffix(b"\r\n")
        head, sep, value = chunk.partition(b"\r\n\r\n")
        if not sep:
            return None
        headers = head.decode("utf-8", "replace")
        name = re.search(r'(?i)content-disposition:[^\r\n]*?\bname="([^"]*)"', headers)
        if not name:
            return None
        filename = re.search(r'(?i)content-disposition:[^\r\n]*?\bfilename="([^"]*)"', headers)
        ctype = re.search(r"(?im)^content-type:\s*([^\r\n]+)", headers)
        parts.append(
            FormPart(
                name=name.group(1),
                value=value,
                filename=filename.group(1) if filename else None,
                content_type=ctype.group(1).strip() if ctype else None,
            )
        )
    return parts


def format_request(request: httpx.Request) -> str:
    """Method, URL, headers and body for a person to read, with every credential redacted.

    JSON is pretty-printed; uploaded files are summarised (``<file a.jpg, 12345 bytes>``).
    """
    lines = [f"{request.method} {redact_url(request.url)}"]
    lines += [f"{_title(name)}: {value}" for name, value in redact_headers(request.headers)]
    body = _describe_body(request)
    if body:
        lines += ["", body]
    return "\n".join(lines)


def formatted_request(request: httpx.Request) -> str:
    """``format_request(request)``, made once per request and kept on it: the outbox formats a
    request on its worker thread to log it, and the client that sends it then reuses the text
    instead of pretty-printing the body again on the event loop."""
    text = request.extensions.get(FORMATTED_EXTENSION)
    if not isinstance(text, str):
        text = format_request(request)
        request.extensions[FORMATTED_EXTENSION] = text
    return text


def curl_command(request: httpx.Request, *, include_token: bool = False, token: str | None = None) -> str:
    """A shell-quoted curl command that repeats the request, one option per line.

    Without ``include_token`` the bearer becomes ``${WHATS91_TOKEN}`` (export it to run the
    command) and other credentials become ``[REDACTED]``. With it, ``token`` (or the request's
    own header) is written out in full: only for a user who asked for exactly that.
    """
    url = str(request.url) if include_token else redact_url(request.url)
    lines = [f"curl -X {shlex.quote(request.method)} {shlex.quote(url)}"]
    content_type = request.headers.get("content-type", "")
    is_multipart = content_type.lower().startswith("multipart/form-data")
    has_auth = False
    for name, value in request.headers.multi_items():
        lower = name.lower()
        if lower in _SKIP_IN_CURL or (is_multipart and lower == "content-type"):
            continue
        if lower == "authorization":
            has_auth = True
            lines.append("-H " + _auth_header_arg(value, include_token=include_token, token=token))
        elif is_sensitive_header(name) and not include_token:
            lines.append("-H " + shlex.quote(f"{_title(name)}: {REDACTED}"))
        else:
            lines.append("-H " + shlex.quote(f"{_title(name)}: {value}"))
    if not has_auth and token is not None:
        lines.append("-H " + _auth_header_arg("", include_token=include_token, token=token))
    lines += _curl_body(request, content_type, is_multipart, include_token=include_token)
    return " \\\n  ".join(lines)


def _auth_header_arg(value: str, *, include_token: bool, token: str | None) -> str:
    if not include_token:
        return f'"Authorization: Bearer ${{{TOKEN_ENV_VAR}}}"'
    if token is not None:
        return shlex.quote(f"Authorization: Bearer {token}")
    return shlex.quote(f"Authorization: {value}")


def _curl_body(
    request: httpx.Request, content_type: str, is_multipart: bool, *, include_token: bool
) -> list[str]:
    content = _content(request)
    if content is None:
        return ["--data-raw '<streamed body not shown>'"]
    if not content:
        return []
    if is_multipart:
        parts = split_multipart(content, content_type)
        if parts is not None:
            paths = _file_paths(request)
            args: list[str] = []
            for part in parts:
                if part.is_file:
                    path = paths.get(part.name) or f"/path/to/{part.filename or 'file'}"
                    if any(ch in path for ch in ';,"'):
                        path = '"' + path.replace("\\", "\\\\").replace('"', '\\"') + '"'
                    spec = f"{part.name}=@{path}"
                    if part.content_type:
                        spec += f";type={part.content_type}"
                    args.append("-F " + shlex.quote(spec))
                    continue
                value = part.text()
                if is_token_field(part.name) and not include_token:
                    value = REDACTED
                flag = "--form-string" if value[:1] in ("@", "<") or ";" in value else "-F"
                args.append(f"{flag} " + shlex.quote(f"{part.name}={value}"))
            return args
    text = content.decode("utf-8", "replace")
    if not include_token:
        parsed = _json_or_none(text) if "json" in content_type.lower() else None
        redacted = redact_json_body(parsed) if parsed is not None else None
        if parsed is None:
            text = redact_text(text)
        elif redacted != parsed:
            text = json.dumps(redacted, ensure_ascii=False, separators=(",", ":"))
    return ["--data-raw " + shlex.quote(text)]


def _describe_body(request: httpx.Request) -> str:
    content = _content(request)
    if content is None:
        return "<streamed body, not shown>"
    if not content:
        return ""
    content_type = request.headers.get("content-type", "")
    lower = content_type.lower()
    if lower.startswith("multipart/form-data"):
        parts = split_multipart(content, content_type)
        if parts is None:
            return f"<multipart body, {len(content)} bytes, unreadable>"
        return "\n".join(_describe_part(part) for part in parts)
    text = content.decode("utf-8", "replace")
    if "json" in lower:
        parsed = _json_or_none(text)
        if parsed is not None:
            return json.dumps(redact_json_body(parsed), ensure_ascii=False, indent=2)
    if lower.startswith("application/x-www-form-urlencoded"):
        pairs = parse_qsl(text, keep_blank_values=True)
        return "&".join(f"{k}={REDACTED if is_token_field(k) else v}" for k, v in pairs)
    if lower.startswith("text/") or "json" in lower or not lower:
        return redact_text(text)
    return f"<{len(content)} bytes of {content_type}>"


def _describe_part(part: FormPart) -> str:
    if part.is_file:
        kind = f", {part.content_type}" if part.content_type else ""
        return f"{part.name}: <file {part.filename}, {len(part.value)} bytes{kind}>"
    value = REDACTED if is_token_field(part.name) else redact_text(part.text())
    return f"{part.name}: {value}"


def _content(request: httpx.Request) -> bytes | None:
    import httpx

    try:
        return request.content
    except httpx.RequestNotRead:
        pass
    if isinstance(request.stream, Iterable):
        return request.read()
    return None


def _file_paths(request: httpx.Request) -> Mapping[str, str]:
    paths = request.extensions.get(FILE_PATHS_EXTENSION)
    if isinstance(paths, Mapping):
        return {str(k): str(v) for k, v in paths.items()}
    return {}


def _json_or_none(text: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


@functools.lru_cache(maxsize=256)
def _title(name: str) -> str:
    return "-".join(word.capitalize() for word in name.split("-"))
