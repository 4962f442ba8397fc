"""Saying plainly what a token check found, always with the requestId support will ask for."""

from __future__ import annotations

from whats91_desktop.core.client import TokenCheck
from whats91_desktop.core.phone import format_number


def describe_token_check(check: TokenCheck, sender_id: str | None = None) -> str:
    """One or two sentences for the profile dialog (and the status bar)."""
    sender = format_number(sender_id) if sender_id else None
    detail = f" ({check.message})" if check.message else ""
    if check.verdict == "valid":
        text = f"The token is valid{f' for sender {sender}' if sender else ''}."
    elif check.verdict == "invalid":
        text = (
            "The token is invalid or expired (HTTP 401): it was refused. "
            f"Paste a fresh token from the Whats91 dashboard.{detail}"
        )
    elif check.verdict == "forbidden":
        who = f"sender {sender}" if sender else "this sender"
        text = (
            f"The token works, but not for {who} (HTTP 403): it is bound to another number "
            f"(wrong scope). Pick the number the token was issued for, or use another token.{detail}"
        )
    elif check.verdict == "unreachable":
        text = f"The server could not be reached: check the base URL and your connection.{detail}"
    else:
        status = f"HTTP {check.http_status}" if check.http_status is not None else "no usable answer"
        text = f"Unknown response ({status}): the token could not be confirmed.{detail}"
    if check.request_id:
        text += f" requestId: {check.request_id}"
    return text
