"""What the Webhooks v2 management routes are asked (reference §4.1): builders, no network.

Beside ``requests.py`` and built the same way (a ``ReadRequest`` or a ``JsonPost`` the client
turns into an ``httpx.Request``). Updates are POSTs, as everywhere in the API; there is no
delete, so deactivating is an update with ``status: INACTIVE``.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import quote

from whats91_desktop.core.errors import ValidationError
from whats91_desktop.core.models import Problem
from whats91_desktop.core.requests import JsonPost, ReadRequest
from whats91_desktop.core.webhooks import WebhookDraft, WebhookStatus

WEBHOOKS_PATH = "/webhooks"
CATALOG_PATH = "/webhooks/events"


def catalog_request(sender_id: str | None = None) -> ReadRequest:
    return ReadRequest(CATALOG_PATH, _query({"senderId": sender_id}))


def list_request(
    sender_id: str | None = None,
    *,
    status: WebhookStatus | None = None,
    event: str | None = None,
    page: int | None = None,
    limit: int | None = None,
) -> ReadRequest:
    """``data`` is a plain array here (unlike most lists of the API)."""
    query = _query({"senderId": sender_id, "status": status, "event": event, "page": page, "limit": limit})
    return ReadRequest(WEBHOOKS_PATH, query, data_may_be_list=True)


def get_request(webhook_uid: str, sender_id: str | None = None) -> ReadRequest:
    return ReadRequest(_webhook_path(webhook_uid), _query({"senderId": sender_id}))


def create_request(draft: WebhookDraft, sender_id: str | None = None) -> JsonPost:
    return JsonPost(WEBHOOKS_PATH, _with_sender(sender_id, draft))


def update_request(webhook_uid: str, draft: WebhookDraft, sender_id: str | None = None) -> JsonPost:
    """A partial update; ``ValidationError`` when it would change nothing (the API refuses)."""
    if draft.is_empty():
        raise ValidationError([Problem("webhook", "an update needs at least one field to change")])
    return JsonPost(_webhook_path(webhook_uid), _with_sender(sender_id, draft))


def _webhook_path(webhook_uid: str) -> str:
    uid = webhook_uid.strip() if isinstance(webhook_uid, str) else ""
    if not uid or not uid.isprintable():
        raise ValidationError([Problem("webhookUid", "is empty or contains control characters")])
    try:
        return f"{WEBHOOKS_PATH}/{quote(uid, safe='')}"
    except UnicodeEncodeError:
        problem = Problem("webhookUid", "contains characters that are not valid text")
        raise ValidationError([problem]) from None


def _with_sender(sender_id: str | None, draft: WebhookDraft) -> dict[str, object]:
    body: dict[str, object] = {"senderId": sender_id} if sender_id else {}
    body["webhook"] = draft.body()
    return body


def _query(params: Mapping[str, str | int | None]) -> dict[str, str]:
    query = {key: str(value) for key, value in params.items() if value is not None and value != ""}
    for name, value in query.items():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValidationError([Problem(name, "contains characters that are not valid text")]) from None
    return query
