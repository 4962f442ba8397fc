"""``whats91-desktop webhooks …`` and ``listen``: flags here, the work in ``services.webhooks.commands``."""

from __future__ import annotations

import argparse
import asyncio
import os
from typing import Any, TextIO

from whats91_desktop.cli import _add_connection_flags as add_connection_flags
from whats91_desktop.cli import cli_services, open_connection
from whats91_desktop.core.webhooks import WebhookDraft
from whats91_desktop.services.webhooks import commands
from whats91_desktop.services.webhooks.secrets import WebhookSecrets


def _draft_flags(p: argparse.ArgumentParser, *, creating: bool) -> None:
    p.add_argument("--name", required=creating)
    p.add_argument("--url", required=creating, help="the endpoint Whats91 POSTs to (https)")
    p.add_argument("--event", action="append", required=creating, metavar="KEY", help="repeat for each event")
    p.add_argument("--timeout-ms", type=int)
    p.add_argument("--retries", type=int, metavar="N", help="at most N attempts (0: no retries)")
    p.add_argument("--verification-header", metavar="H")
    p.add_argument("--verification-token-env", metavar="VAR", help="the variable holding the token")
    if not creating:
        p.add_argument("--clear-verification-token", action="store_true")


def _secret_flags(p: argparse.ArgumentParser) -> None:
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--secret-env", metavar="VAR", help="the variable holding the signing secret")
    g.add_argument("--webhook", metavar="UID", help="use the signing secret stored for this webhook")


def add_parsers(sub: argparse._SubParsersAction[Any]) -> None:
    hooks = sub.add_parser("webhooks", help="Webhooks v2 destinations and test events")
    actions = hooks.add_subparsers(dest="webhooks_command", required=True)
    parsers = {
        "events": actions.add_parser("events", help="the event catalog"),
        "list": actions.add_parser("list", help="the sender's destinations"),
        "show": actions.add_parser("show", help="one destination"),
        "create": actions.add_parser("create", help="create a destination (its secret is stored here)"),
        "update": actions.add_parser("update", help="change a destination (partial)"),
        "deactivate": actions.add_parser("deactivate", help="status INACTIVE (there is no delete)"),
    }
    for name, p in parsers.items():
        add_connection_flags(p)
        p.add_argument("--sender", metavar="ID")
        if name in ("show", "update", "deactivate"):
            p.add_argument("uid")
    _draft_flags(parsers["create"], creating=True)
    _draft_flags(parsers["update"], creating=False)
    trigger = actions.add_parser("trigger", help="send one signed sample delivery to a handler")
    trigger.add_argument("event")
    trigger.add_argument("--to", required=True, metavar="URL")
    trigger.add_argument("--bad-signature", action="store_true")
    trigger.add_argument("--message-id", metavar="ID", help="for a message.status.* event")
    trigger.add_argument("--json", action="store_true")
    _secret_flags(trigger)
    listen = sub.add_parser("listen", help="receive webhook deliveries on this computer")
    listen.add_argument("--port", type=int, required=True)
    listen.add_argument("--host", default="127.0.0.1", help="another address listens beyond this computer")
    listen.add_argument("--forward-to", metavar="URL")
    listen.add_argument("--no-log", action="store_true", help="do not write statuses and messages to the log")
    listen.add_argument("--profile", metavar="NAME", help="the profile whose secrets are used")
    _secret_flags(listen)


def _draft(args: argparse.Namespace) -> WebhookDraft:
    token = os.environ.get(args.verification_token_env, "") if args.verification_token_env else None
    return WebhookDraft(
        name=args.name,
        endpoint_url=args.url,
        events=tuple(args.event) if args.event else None,
        status="INACTIVE" if args.webhooks_command == "deactivate" else None,
        timeout_ms=args.timeout_ms,
        retry_enabled=None if args.retries is None else args.retries > 0,
        retry_max_attempts=args.retries or None,
        verification_header_key=args.verification_header,
        verification_token=token or None,
        clear_verification_token=getattr(args, "clear_verification_token", False),
    )


async def cmd_webhooks(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if args.webhooks_command == "trigger":
        async with cli_services() as services:  # only for a stored secret: no client, no server
            secrets = WebhookSecrets(services.tokens)
            secret = await commands.signing_secret(args.secret_env, args.webhook, secrets)
        return await commands.webhooks_trigger(
            args.event,
            args.to,
            secret=secret,
            bad_signature=args.bad_signature,
            webhook_uid=args.webhook,
            message_id=args.message_id,
            as_json=args.json,
            out=out,
        )
    async with open_connection(args, err) as conn:
        secrets = WebhookSecrets(conn.services.tokens)
        profile = conn.resolved
        common = {"sender_id": args.sender, "as_json": args.json, "out": out}
        match args.webhooks_command:
            case "events":
                return await commands.webhooks_events(conn.client, **common)
            case "list":
                return await commands.webhooks_list(conn.client, **common)
            case "show":
                return await commands.webhooks_show(conn.client, args.uid, **common)
            case "create":
                return await commands.webhooks_create(
                    conn.client, _draft(args), profile=profile, secrets=secrets, err=err, **common
                )
            case _:  # update, deactivate
                draft = (
                    WebhookDraft(status="INACTIVE") if args.webhooks_command == "deactivate" else _draft(args)
                )
                return await commands.webhooks_update(
                    conn.client, args.uid, draft, profile=profile, secrets=secrets, **common
                )


async def cmd_listen(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from whats91_desktop.core.store import AsyncMessageStore, MessageStore
    from whats91_desktop.services.webhooks.hub import WebhookHub

    async with cli_services() as services:
        secrets = WebhookSecrets(services.tokens)
        secret = await commands.signing_secret(args.secret_env, args.webhook, secrets)
        store = (
            None
            if args.no_log
            else AsyncMessageStore(MessageStore(services.paths.log_db), executor=services.executors.store)
        )
        hub = WebhookHub(secrets=secrets, store=store)
        stop = asyncio.Event()
        commands.stop_on_signals(stop)
        options = commands.ListenOptions(
            port=args.port,
            host=args.host,
            allow_network=args.host != "127.0.0.1",
            forward_to=args.forward_to,
            secret=secret,
            write_log=not args.no_log,
            profile=args.profile or "",
        )
        try:
            return await commands.listen(hub, options, out=out, err=err, stop=stop)
        finally:
            if store is not None:
                await store.aclose()
