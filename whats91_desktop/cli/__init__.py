"""``whats91-desktop`` command line: the same core as the window, for scripts and tests.

``main(argv) -> int`` wraps ``run(args)`` and maps each outcome and error class to a
documented exit code (httpie's ``core.py`` shape). ``--debug`` shows tracebacks (redacted) and
DEBUG log lines on stderr. Nothing escapes: a bug is one line (or one ``--json`` object), exit 1.

Exit codes: 0 accepted or queued · 2 invalid input, nothing sent · 3 rejected by the API ·
4 outcome unknown (may have been sent: reconcile, do not resend blindly) · 5 unreachable,
nothing sent · 1 anything unexpected · 130 Ctrl+C · 143 SIGTERM (a send in flight is then
logged as outcome unknown, as it is on Ctrl+C).

With no command this is how the window starts, so the module imports only what opening the
window needs: the commands import the message models, the HTTP client, the message log and
validation themselves, and a command line that names no command is read without building
the commands' parsers (:func:`_window_args`).
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import logging
import re
import signal
import sys
import traceback
from collections.abc import AsyncIterator, Coroutine, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO, assert_never, cast

from whats91_desktop import __version__
from whats91_desktop.app import open_services
from whats91_desktop.core.errors import (
    ApiError,
    ConfigError,
    ConnectError,
    OutcomeUnknown,
    ValidationError,
    Whats91Error,
)
from whats91_desktop.core.secrets import token_from_env
from whats91_desktop.core.urls import check_base_url
from whats91_desktop.sandbox.constants import is_sandbox_url
from whats91_desktop.services.executors import Executors

if TYPE_CHECKING:
    from whats91_desktop.core.client import Whats91Client
    from whats91_desktop.core.models import (
        Outcome,
        OutgoingMessage,
        Problem,
        Profile,
        RetryNotice,
        SendResult,
        TemplateMessage,
    )
    from whats91_desktop.core.validation import Checked
    from whats91_desktop.services.container import Services

EXIT_OK = 0
EXIT_UNEXPECTED = 1
EXIT_INVALID = 2
EXIT_REJECTED = 3
EXIT_UNKNOWN = 4
EXIT_UNREACHABLE = 5
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143  # 128 + SIGTERM, what shells report for a process ended by it

NETWORK_COMMANDS = frozenset(
    {"send", "status", "templates", "wallet", "webhooks", "listen", "conversations", "thread", "bulk"}
)
"""Commands that log to the log file (their requests, retries and outcomes)."""

log = logging.getLogger(__name__)

_log_secrets: set[str] = set()
"""Tokens this process has used: the log filter scrubs them (one CLI run, one process)."""


def outcome_exit(outcome: Outcome) -> int:
    """The exit code of a send's outcome."""
    from whats91_desktop.core.models import Outcome

    match outcome:
        case Outcome.ACCEPTED | Outcome.QUEUED:
            return EXIT_OK
        case Outcome.INVALID:
            return EXIT_INVALID
        case Outcome.REJECTED:
            return EXIT_REJECTED
        case Outcome.UNKNOWN:
            return EXIT_UNKNOWN
        case Outcome.UNREACHABLE:
            return EXIT_UNREACHABLE
        case _:
            assert_never(outcome)


# --------------------------------------------------------------------------- parser


def _add_connection_flags(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("connection")
    g.add_argument("--profile", metavar="NAME", help="a saved profile (default: the active one)")
    g.add_argument(
        "--base-url",
        metavar="URL",
        help="API base URL (https; http only on loopback); the token comes from WHATS91_TOKEN",
    )
    g.add_argument("--sandbox", action="store_true", help="use the built-in sandbox (no network)")
    g.add_argument("--timeout", type=float, metavar="SECONDS", help="read timeout (default 30)")
    g.add_argument("--json", action="store_true", help="print exactly one JSON object on stdout")


def _add_message_flags(p: argparse.ArgumentParser) -> None:
    from whats91_desktop.core.models import MEDIA_TYPES

    p.add_argument(
        "--to",
        metavar="NUMBER",
        help='recipient, e.g. +91 88888 88888; with --meta-json it replaces the JSON\'s own "to"'
        " (a read receipt or typing indicator has none)",
    )
    p.add_argument("--sender", metavar="ID", help="sender number (senderId)")
    p.add_argument(
        "--region", metavar="CC", help="default region for national numbers (default: profile's, IN)"
    )
    kind = p.add_mutually_exclusive_group(required=True)
    kind.add_argument("--text", metavar="TEXT", help="a text message")
    kind.add_argument("--template", metavar="NAME", help="an approved template (POST /send)")
    kind.add_argument("--media", metavar="PATH_OR_URL", help="a file to upload, or an https URL")
    kind.add_argument("--media-id", metavar="ID", help="a previously uploaded media id")
    kind.add_argument("--meta-json", metavar="FILE", help="raw Meta Cloud API JSON ('-' for stdin)")
    p.add_argument("--param", action="append", default=[], metavar="VALUE", help="template body variable")
    p.add_argument(
        "--button-param", action="append", default=[], metavar="VALUE", help="template button variable"
    )
    p.add_argument("--header-media", metavar="PATH_OR_URL", help="template header media (file or URL)")
    p.add_argument("--type", choices=MEDIA_TYPES, help="media type for --media / --media-id")
    p.add_argument("--caption", metavar="TEXT")
    p.add_argument("--filename", metavar="NAME", help="document file name shown to the recipient")
    p.add_argument("--phone-number-id", metavar="ID", help="with --meta-json: POST /{ID}/messages")


class UsageError(Exception):
    """A command line argparse would refuse; raised instead of exiting, so that ``--json`` can
    still answer with its one object."""

    def __init__(self, parser: argparse.ArgumentParser, message: str) -> None:
        super().__init__(message)
        self.parser = parser
        self.message = message


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(self, message)


def _add_window_flags(p: argparse.ArgumentParser) -> None:
    """The options before any command: the window's (and ``--debug``, ``--version``)."""
    p.add_argument("--version", action="version", version=f"whats91-desktop {__version__}")
    p.add_argument("--debug", action="store_true", help="show tracebacks")
    p.add_argument("--sandbox", action="store_true", help="open the window on the built-in sandbox")
    p.add_argument("--profile", metavar="NAME", help="open the window on this profile")
    p.add_argument(
        "--self-check",
        action="store_true",
        help="send one sandbox message through the window (offscreen, throw-away home), "
        "wait for it to be delivered, print one line; exit 0 if it was",
    )


def _window_args(words: Sequence[str]) -> argparse.Namespace | None:
    """``words`` read as they are when they name no command (the window opens), else None.

    This parser knows only the options before a command, so opening the window builds none of
    the commands' parsers (nor imports the message models for their flags). Whatever it does not
    know (a command, ``--help``, a mistake) returns None, for :func:`build_parser` to read.
    """
    parser = _Parser(prog="whats91-desktop", add_help=False)
    _add_window_flags(parser)
    parser.set_defaults(command=None)
    try:
        args, rest = parser.parse_known_args(words)
    except UsageError:
        return None
    return None if rest else args


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="whats91-desktop",
        description="Whats91 Desktop: WhatsApp messaging console. With no command, opens the window.",
        epilog="Exit codes: 0 accepted/queued, 2 invalid (nothing sent), 3 rejected by the API, "
        "4 outcome unknown, 5 unreachable (nothing sent), 1 unexpected, 130 Ctrl+C, 143 SIGTERM.",
    )
    _add_window_flags(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    send = sub.add_parser("send", help="validate and send one message")
    _add_message_flags(send)
    _add_connection_flags(send)
    send.add_argument("--no-log", action="store_true", help="do not record the send in the message log")

    validate = sub.add_parser("validate", help="validate a message exactly as send would; sends nothing")
    _add_message_flags(validate)
    validate.add_argument("--json", action="store_true", help="print exactly one JSON object on stdout")
    validate.add_argument("--profile", metavar="NAME", help="profile whose default region applies")
    validate.add_argument("--no-file-checks", action="store_true", help="do not open attached files")

    status = sub.add_parser("status", help="delivery status of a sent message (reports endpoint)")
    status.add_argument("message_id", metavar="MESSAGE_ID", help="wamid…, reportUid or queueUid")
    status.add_argument("--sender", metavar="ID")
    _add_connection_flags(status)

    templates = sub.add_parser("templates", help="list the templates the token can use")
    templates.add_argument("--sender", metavar="ID")
    _add_connection_flags(templates)

    wallet = sub.add_parser("wallet", help="show the wallet balance")
    _add_connection_flags(wallet)

    sandbox = sub.add_parser("sandbox", help="serve the built-in sandbox on loopback")
    sandbox.add_argument("--port", type=int, default=8091, help="port (0 picks a free one; default 8091)")
    sandbox.add_argument("--host", default="127.0.0.1", help="loopback address to bind (default 127.0.0.1)")

    from whats91_desktop.cli import bulk, conversations, diagnostics, webhooks

    webhooks.add_parsers(sub)
    conversations.add_parsers(sub)
    bulk.add_parsers(sub)
    diagnostics.add_parsers(sub)
    return parser


# --------------------------------------------------------------------------- building messages


def _read_meta_json(source: str) -> Any:
    text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    return json.loads(text)


_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def _is_url(value: str) -> bool:
    """Anything with a scheme is a URL (``ftp://`` too: validation names the scheme it refuses),
    not a file path to look for."""
    return _URL.match(value) is not None


def message_from_args(args: argparse.Namespace) -> tuple[OutgoingMessage | None, list[Problem]]:
    """Turn the message flags into a message, or say what is wrong with them."""
    from whats91_desktop.core.models import (
        MEDIA_TYPES,
        MediaMessage,
        MetaMessage,
        Problem,
        TemplateMessage,
        TextMessage,
    )

    sender = args.sender or None
    to = args.to or ""  # validation says "enter the recipient" at --to, as for any missing field
    if args.text is not None:
        return TextMessage(to=to, text=args.text, sender_id=sender), []
    if args.template is not None:
        media_url = media_file = None
        if args.header_media:
            if _is_url(args.header_media):
                media_url = args.header_media
            else:
                media_file = Path(args.header_media)
        return (
            TemplateMessage(
                to=to,
                template_name=args.template,
                parameters=tuple(args.param),
                button_parameters=tuple(args.button_param),
                media_url=media_url,
                media_file=media_file,
                sender_id=sender,
            ),
            [],
        )
    if args.media is not None or args.media_id is not None:
        if not args.type:
            return None, [
                Problem("type", "--type is required with --media / --media-id: " + ", ".join(MEDIA_TYPES))
            ]
        source = args.media
        return (
            MediaMessage(
                to=to,
                media_type=args.type,
                url=source if source and _is_url(source) else None,
                file_path=Path(source) if source and not _is_url(source) else None,
                media_id=args.media_id,
                caption=args.caption,
                filename=args.filename,
                sender_id=sender,
            ),
            [],
        )
    try:
        payload = _read_meta_json(args.meta_json)
    except FileNotFoundError:
        return None, [Problem("meta_json", f"No such file: {args.meta_json}")]
    except (OSError, UnicodeDecodeError) as err:
        return None, [Problem("meta_json", f"Cannot read {args.meta_json}: {err}")]
    except json.JSONDecodeError as err:
        return None, [
            Problem("meta_json", f"Not valid JSON: {err.msg} at line {err.lineno} column {err.colno}")
        ]
    except ValueError:  # not a JSONDecodeError: a number beyond Python's int-string limit
        return None, [
            Problem("meta_json", "Not valid JSON: a number in it is too long to read (over 4300 digits)")
        ]
    except RecursionError:
        return None, [Problem("meta_json", "The JSON is nested too deeply to be a Meta message")]
    except MemoryError:
        return None, [Problem("meta_json", "The JSON is too large to be a Meta message")]
    if not isinstance(payload, dict):
        return None, [Problem("payload", "Meta JSON must be an object ({...})")]
    if args.to is not None:
        payload["to"] = args.to  # --to wins over the file's own "to"
    return MetaMessage(payload=payload, phone_number_id=args.phone_number_id, sender_id=sender), []


# --------------------------------------------------------------------------- connection


@dataclass
class Connection:
    services: Services
    client: Whats91Client
    profile: str
    """The name the message log records ("sandbox" for --sandbox)."""
    region: str
    sandbox: bool
    resolved: Profile
    """What --sandbox / --base-url / --profile named (webhook secrets are kept per profile)."""


def _connection_profile(args: argparse.Namespace, services: Services, env_token: str | None) -> Profile:
    """The profile --sandbox / --base-url / --profile name, with --timeout applied."""
    from whats91_desktop.core.models import Profile
    from whats91_desktop.services.sandbox_profile import SANDBOX_PROFILE

    timeout: float | None = getattr(args, "timeout", None)
    if timeout is not None and timeout <= 0:
        raise ConfigError("--timeout must be a positive number of seconds")
    if getattr(args, "sandbox", False):
        profile = SANDBOX_PROFILE
    elif args.base_url:
        if not env_token:
            raise ConfigError("--base-url needs the token in the WHATS91_TOKEN environment variable")
        profile = Profile(name=args.profile or "cli", base_url=check_base_url(args.base_url))
    else:
        name = args.profile or services.settings.current.active_profile
        found = services.settings.current.profile(name) if name else None
        if found is None:
            if args.profile:
                raise ConfigError(f"no profile named {args.profile!r}")
            raise ConfigError(
                "no profile yet: add one in the window, or use --sandbox, or --base-url with WHATS91_TOKEN"
            )
        profile = found
    return replace(profile, read_timeout=timeout) if timeout else profile


@asynccontextmanager
async def cli_services() -> AsyncIterator[Services]:
    """The app's services for one command (no message log, no client yet); their worker
    threads stop when the command ends."""
    executors = Executors.create()
    try:
        yield open_services(executors=executors)
    finally:
        executors.shutdown()


@asynccontextmanager
async def open_connection(args: argparse.Namespace, err: TextIO | None = None) -> AsyncIterator[Connection]:
    """Resolve --sandbox / --base-url / --profile into a client from the app's services;
    raises ConfigError. Notices (a settings file moved aside, the keychain fallback) go to
    ``err``. Closing the connection closes the client and stops the worker threads."""
    err = err or sys.stderr
    async with cli_services() as services:
        sandbox = bool(getattr(args, "sandbox", False))
        settings_notice = services.settings.store.notice
        if settings_notice and not sandbox:
            err.write(f"notice: {settings_notice}\n")
        env_token = token_from_env()
        profile = _connection_profile(args, services, env_token)
        if not sandbox and not args.base_url:  # the token comes from the keychain (or its fallback)
            for note in (services.secrets.warning, services.secrets.notice):
                if note:
                    err.write(f"notice: {note}\n")
        told = services.secrets.notice
        if env_token and not sandbox:
            services.tokens.remember(profile.name, env_token)
        token = await services.tokens.token_for(profile)
        if services.secrets.notice and services.secrets.notice != told:  # reading it found something
            err.write(f"notice: {services.secrets.notice}\n")
        if not token:
            raise ConfigError(f"no token for profile {profile.name!r}: set it in the window or WHATS91_TOKEN")
        _log_secrets.add(token)
        try:
            client = await services.clients.client_for(profile)
            yield Connection(
                services,
                client,
                "sandbox" if sandbox else profile.name,
                profile.default_region,
                profile.sandbox or is_sandbox_url(profile.base_url),
                profile,
            )
        finally:
            await services.clients.aclose()


def _profile_region(args: argparse.Namespace) -> str:
    from whats91_desktop.core.paths import app_paths
    from whats91_desktop.core.settings import SettingsStore

    if getattr(args, "region", None):
        return str(args.region).upper()
    if getattr(args, "sandbox", False) or getattr(args, "base_url", None):
        return "IN"
    try:
        settings = SettingsStore(app_paths().settings_file).load()
    except Whats91Error:
        return "IN"
    name = getattr(args, "profile", None) or settings.active_profile
    profile = settings.profile(name) if name else None
    return profile.default_region if profile else "IN"


# --------------------------------------------------------------------------- output


_UNSAFE_IN_JSON = re.compile(r"[\x7f-\x9f\ud800-\udfff]")
_UNSAFE_ON_TERMINAL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def _emit(out: TextIO, data: dict[str, Any]) -> None:
    # json.dumps leaves DEL, C1 controls and lone surrogates raw; \u escapes keep the JSON
    # identical in meaning, writable in any encoding and inert on a terminal.
    text = json.dumps(data, ensure_ascii=False)
    out.write(_UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n")


class _Terminal(io.TextIOBase):
    """Human output. Text from a server (template names, error messages) may hold escape
    sequences that would rewrite the user's terminal: control characters are shown escaped."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(_UNSAFE_ON_TERMINAL.sub(lambda m: repr(m.group())[1:-1], text))
        return len(text)

    def flush(self) -> None:
        self._stream.flush()


def _invalid_result(problems: Sequence[Problem]) -> SendResult:
    from whats91_desktop.core.models import Outcome, SendResult

    return SendResult(outcome=Outcome.INVALID, problems=tuple(problems))


def _print_result(result: SendResult, *, as_json: bool, out: TextIO, err: TextIO) -> None:
    from whats91_desktop.core.models import Outcome

    if as_json:
        _emit(out, result.to_json())
        return
    if result.outcome is Outcome.INVALID:
        err.write("Not sent: fix these first.\n")
        for p in result.problems:
            err.write(f"  {p.field}: {p.message}\n")
        return
    lines = {
        Outcome.ACCEPTED: f"Accepted: {result.message_id or '-'} (status {result.status or '-'})",
        Outcome.QUEUED: (
            f"Queued until WhatsApp reconnects (queueUid {result.queue_uid or '-'}, "
            f"reportUid {result.report_uid or '-'})"
        ),
        Outcome.REJECTED: f"Rejected: {result.error_code or '-'}: {result.error_message or '-'}",
        Outcome.UNKNOWN: (
            "Outcome unknown: the request may have reached Whats91. Do not resend blindly; "
            "check with `whats91-desktop status` or the reports first. "
            f"({result.error_message or 'no reply'})"
        ),
        Outcome.UNREACHABLE: f"Unreachable, nothing was sent: {result.error_message or '-'}",
    }
    out.write(lines[result.outcome] + "\n")
    if result.request_id:
        out.write(f"requestId: {result.request_id}\n")
    if result.http_status is not None:
        out.write(f"HTTP {result.http_status}\n")


def _retry_printer(err: TextIO, quiet: bool) -> Any:
    def on_retry(notice: RetryNotice) -> None:
        if not quiet:
            err.write(f"attempt {notice.attempt} failed ({notice.reason}); retrying in {notice.delay:.1f}s\n")
        else:
            err.write(f"retrying in {notice.delay:.1f}s: {notice.reason}\n")

    return on_retry


# --------------------------------------------------------------------------- commands


def check_message(message: OutgoingMessage, *, default_region: str, check_files: bool = True) -> Checked:
    """:func:`whats91_desktop.core.validation.check_message`, imported on first use: validation
    loads phonenumbers and the Meta schema, which opening the window from here does not need."""
    from whats91_desktop.core import validation

    return validation.check_message(message, default_region=default_region, check_files=check_files)


async def cmd_validate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    message, problems = message_from_args(args)
    if message is not None:
        checked = check_message(
            message, default_region=_profile_region(args), check_files=not args.no_file_checks
        )
        problems.extend(checked.problems)
    if problems:
        _print_result(_invalid_result(problems), as_json=args.json, out=out, err=err)
        return EXIT_INVALID
    if args.json:
        _emit(out, {**_invalid_result([]).to_json(), "outcome": "valid"})
    else:
        out.write("Valid: nothing was sent.\n")
    return EXIT_OK


async def _template_problems(conn: Connection, message: TemplateMessage, err: TextIO) -> list[Problem]:
    """What the template list says is wrong with ``message`` (its variable counts, its header
    media). A template the list does not show, or a list that cannot be read, is not checked:
    the API has the last word then."""
    from whats91_desktop.core.validation import check_template_against

    try:
        templates = await conn.client.list_templates(sender_id=message.sender_id)
    except Whats91Error as error:
        err.write(
            f"notice: the template list could not be read, so its variables were not checked ({error})\n"
        )
        return []
    info = next((t for t in templates if t.name == message.template_name), None)
    return check_template_against(info, message) if info is not None else []


async def cmd_send(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from whats91_desktop.core.models import TemplateMessage

    message, problems = message_from_args(args)
    if message is None or problems:
        _print_result(_invalid_result(problems), as_json=args.json, out=out, err=err)
        return EXIT_INVALID
    async with open_connection(args, err) as conn, AsyncExitStack() as stack:
        checked = check_message(message, default_region=args.region or conn.region)
        problems = list(checked.problems)
        if not problems and isinstance(checked.message, TemplateMessage):
            problems = await _template_problems(conn, checked.message, err)
        if problems:
            _print_result(_invalid_result(problems), as_json=args.json, out=out, err=err)
            return EXIT_INVALID
        on_retry = _retry_printer(err, args.json)
        if args.no_log:
            result = await conn.client.send(checked.message, on_retry=on_retry)
        else:
            from whats91_desktop.core.outbox import Outbox, preview_of
            from whats91_desktop.core.store import AsyncMessageStore

            executors = conn.services.executors
            store = await AsyncMessageStore.open(conn.services.paths.log_db, executor=executors.store)
            stack.push_async_callback(store.aclose)
            if store.notice:
                err.write(f"notice: {store.notice}\n")
            _, result = await Outbox(store, executor=executors.builder).send(
                conn.client,
                checked.message,
                profile=conn.profile,
                preview=preview_of(checked.message),
                on_retry=on_retry,
            )
    _print_result(result, as_json=args.json, out=out, err=err)
    if result.log_warning:
        err.write(f"WARNING: {result.log_warning}\n")
    return outcome_exit(result.outcome)


async def cmd_status(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    async with open_connection(args, err) as conn:
        status = await conn.client.fetch_status(args.message_id, sender_id=args.sender)
    if args.json:
        _emit(
            out,
            {
                "messageId": status.message_id,
                "reportUid": status.report_uid,
                "receiver": status.receiver,
                "latestStatus": status.latest_status,
                "requestId": status.request_id,
                "events": [
                    {
                        "status": e.status,
                        "occurredAt": e.occurred_at,
                        "errorCode": e.error_code,
                        "errorMessage": e.error_message,
                    }
                    for e in status.events
                ],
            },
        )
    else:
        out.write(f"{status.message_id or args.message_id}: {status.latest_status or 'unknown'}\n")
        for e in status.events:
            extra = f"  ({e.error_code}: {e.error_message})" if e.error_code else ""
            out.write(f"  {e.occurred_at or '-':<26} {e.status}{extra}\n")
    return EXIT_OK


async def cmd_templates(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    async with open_connection(args, err) as conn:
        templates = await conn.client.list_templates(sender_id=args.sender)
    if args.json:
        _emit(
            out,
            {
                "templates": [
                    {
                        "name": t.name,
                        "language": t.language,
                        "category": t.category,
                        "status": t.status,
                        "bodyVariables": t.body_variable_count,
                        "buttonVariables": t.button_variable_count,
                        "headerType": t.header_type,
                    }
                    for t in templates
                ]
            },
        )
    else:
        for t in templates:
            out.write(
                f"{t.name:<28} {t.language or '-':<6} {t.category or '-':<15} {t.status or '-':<10} "
                f"vars={t.body_variable_count} buttons={t.button_variable_count} "
                f"header={t.header_type or '-'}\n"
            )
    return EXIT_OK


async def cmd_wallet(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    async with open_connection(args, err) as conn:
        wallet = await conn.client.fetch_wallet()
    if args.json:
        _emit(out, {"balance": wallet.balance, "currency": wallet.currency, "status": wallet.status})
    else:
        out.write(f"{wallet.balance} {wallet.currency or ''} ({wallet.status or '-'})\n")
    return EXIT_OK


def cmd_sandbox(args: argparse.Namespace) -> int:
    from whats91_desktop.core.urls import is_loopback_host
    from whats91_desktop.sandbox.server import run_forever

    if not 0 <= args.port <= 65535:
        raise ConfigError(f"--port must be between 0 and 65535, not {args.port}")
    if not is_loopback_host(args.host):
        raise ConfigError(
            f"the sandbox only listens on loopback (127.0.0.1, ::1, localhost), not {args.host!r}"
        )
    run_forever(port=args.port, host=args.host)
    return EXIT_OK


COMMANDS = {
    "send": cmd_send,
    "validate": cmd_validate,
    "status": cmd_status,
    "templates": cmd_templates,
    "wallet": cmd_wallet,
}


class Terminated(Exception):
    """SIGTERM arrived during a command: it stopped as it does on Ctrl+C (a send in flight is
    logged as outcome unknown), and the process exits with ``EXIT_TERMINATED``."""


async def _stopped_by_sigterm(command: Coroutine[Any, Any, int]) -> int:
    """Run ``command``; SIGTERM cancels it like Ctrl+C does, then raises :class:`Terminated`.

    Without this, SIGTERM kills the process mid-send, leaving the row ``sending`` and the
    caller without an answer. Where the loop cannot take signals (Windows, another thread),
    the command runs as it is.
    """
    loop = asyncio.get_running_loop()
    task = asyncio.current_task()
    assert task is not None
    received: list[bool] = []

    def on_sigterm() -> None:
        received.append(True)
        task.cancel()

    try:
        loop.add_signal_handler(signal.SIGTERM, on_sigterm)
    except (NotImplementedError, RuntimeError, ValueError):
        return await command
    try:
        return await command
    except asyncio.CancelledError:
        if received:
            raise Terminated from None
        raise
    finally:
        loop.remove_signal_handler(signal.SIGTERM)


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if args.command is None:
        if args.self_check:
            from whats91_desktop.app import run_self_check

            return run_self_check(out, err)
        from whats91_desktop.app import run_gui

        return run_gui(sandbox=args.sandbox, profile=args.profile)
    if args.command == "sandbox":
        return cmd_sandbox(args)
    if args.command in ("webhooks", "listen"):
        from whats91_desktop.cli import webhooks

        if args.command == "listen":  # it stops itself, cleanly, on SIGINT and SIGTERM
            return asyncio.run(webhooks.cmd_listen(args, out, err))
        return asyncio.run(_stopped_by_sigterm(webhooks.cmd_webhooks(args, out, err)))
    if args.command == "bulk":  # it stops itself, gracefully, on SIGINT and SIGTERM
        from whats91_desktop.cli import bulk

        return asyncio.run(bulk.cmd_bulk(args, out, err))
    if args.command == "diagnostics":
        from whats91_desktop.cli import diagnostics

        return asyncio.run(diagnostics.cmd_diagnostics(args, out, err))
    if args.command in ("conversations", "thread"):
        from whats91_desktop.cli import conversations

        return asyncio.run(_stopped_by_sigterm(conversations.COMMANDS[args.command](args, out, err)))
    return asyncio.run(_stopped_by_sigterm(COMMANDS[args.command](args, out, err)))


def _start_logging(args: argparse.Namespace, err: TextIO) -> bool:
    """The redacting log file for network commands; ``--debug`` adds DEBUG lines on stderr."""
    if args.command not in NETWORK_COMMANDS:
        return False
    from whats91_desktop.core.logsetup import configure_logging
    from whats91_desktop.core.paths import app_paths

    try:
        log_dir = app_paths().log_dir
        configure_logging(
            log_dir,
            secrets_provider=lambda: tuple(_log_secrets),
            level=logging.DEBUG if args.debug else logging.INFO,
            console=args.debug,
        )
    except OSError as error:  # an unwritable log dir must not stop a send
        configure_logging(None, console=args.debug)
        err.write(f"notice: no log file ({error.strerror or error})\n")
    return True


def _error_exit(error: Whats91Error) -> int:
    if isinstance(error, (ValidationError, ConfigError)):
        return EXIT_INVALID
    if isinstance(error, OutcomeUnknown):
        return EXIT_UNKNOWN
    if isinstance(error, ConnectError):
        return EXIT_UNREACHABLE
    if isinstance(error, ApiError):
        return EXIT_REJECTED
    return EXIT_UNEXPECTED


def _error_json(error: Whats91Error) -> dict[str, Any]:
    code = _error_exit(error)
    outcome = {
        EXIT_INVALID: "invalid",
        EXIT_UNKNOWN: "unknown",
        EXIT_UNREACHABLE: "unreachable",
        EXIT_REJECTED: "rejected",
    }.get(code, "error")
    problems = [p.to_json() for p in error.problems] if isinstance(error, ValidationError) else []
    if isinstance(error, ConfigError):
        problems = [{"field": "config", "message": str(error)}]
    api = error if isinstance(error, ApiError) else None
    return {
        "outcome": outcome,
        "httpStatus": api.http_status if api else None,
        "messageId": None,
        "status": None,
        "requestId": api.request_id if api else None,
        "errorCode": api.code if api else None,
        "errorMessage": api.message if api else str(error),
        "queueUid": None,
        "reportUid": None,
        "problems": problems,
    }


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    words = list(argv) if argv is not None else sys.argv[1:]
    try:
        args = _window_args(words) or build_parser().parse_args(words)
    except UsageError as usage:
        if "--json" in words:
            from whats91_desktop.core.models import Problem

            problem = Problem("arguments", usage.message)
            _emit(out or sys.stdout, _invalid_result([problem]).to_json())
        else:
            usage.parser.print_usage(err or sys.stderr)
            (err or sys.stderr).write(f"{usage.parser.prog}: error: {usage.message}\n")
        return EXIT_INVALID
    as_json = bool(getattr(args, "json", False))
    out = out or sys.stdout
    if not as_json:
        out = cast(TextIO, _Terminal(out))
    err = cast(TextIO, _Terminal(err or sys.stderr))
    logging_started = _start_logging(args, err)
    try:
        return run(args, out, err)
    except (KeyboardInterrupt, Terminated) as stop:
        what = "terminated" if isinstance(stop, Terminated) else "interrupted"
        log.warning("%s %s", args.command, what)
        if args.command == "send":
            err.write(f"{what}: {MAY_HAVE_BEEN_SENT}\n")
        else:
            err.write(f"{what}\n")
        if as_json:
            _emit(out, _interrupted_json(args.command, what))
        return EXIT_TERMINATED if isinstance(stop, Terminated) else EXIT_INTERRUPTED
    except Whats91Error as error:
        if as_json:
            _emit(out, _error_json(error))
        else:
            err.write(f"error: {error}\n")
        if args.debug:
            err.write(_scrubbed(traceback.format_exc()))
        return _error_exit(error)
    except Exception as error:
        # A bug: keep the traceback for the log file and --debug, give the user one line.
        if logging_started:
            log.exception("unexpected error in %s", args.command)
        text = _scrubbed(f"{type(error).__name__}: {error}")
        if as_json:
            _emit(out, {**_error_json(Whats91Error(text)), "outcome": "error"})
        if args.debug:
            err.write(_scrubbed(traceback.format_exc()))
        elif not as_json:
            err.write(f"unexpected error: {text} (run with --debug for details)\n")
        return EXIT_UNEXPECTED
    finally:
        if logging_started:
            from whats91_desktop.core.logsetup import configure_logging

            configure_logging(None, level=logging.NOTSET)


def _scrubbed(text: str) -> str:
    """``text`` without this run's tokens or anything shaped like one (for an error's text)."""
    from whats91_desktop.core.redact import redact_text

    return redact_text(text, _log_secrets)


MAY_HAVE_BEEN_SENT = (
    "the message may have been sent; check with `whats91-desktop status` or the reports before resending"
)


def _interrupted_json(command: str | None, what: str = "interrupted") -> dict[str, Any]:
    if command == "send":
        return {**_error_json(OutcomeUnknown(f"{what}: {MAY_HAVE_BEEN_SENT}")), "outcome": "unknown"}
    return {**_error_json(Whats91Error(what)), "outcome": "error"}
