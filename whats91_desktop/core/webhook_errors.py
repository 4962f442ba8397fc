"""What a failed webhook management call means, in the words the user reads (pane and CLI).

The errors themselves come through the one error tree (``ApiError`` and its subclasses, by
HTTP status); this only says, per documented code (§4.1), what happened and what to do.
"""

from __future__ import annotations

from whats91_desktop.core.errors import ApiError, ConnectError, OutcomeUnknown, ValidationError, Whats91Error

_EXPLANATIONS = {
    "WEBHOOK_ENDPOINT_INVALID": "Whats91 cannot use that endpoint URL: give a full address such as "
    "https://example.com/webhooks/whats91.",
    "WEBHOOK_ENDPOINT_REQUIRES_HTTPS": "Whats91 delivers only to https addresses: use an https URL "
    "(a tunnel such as ngrok or cloudflared gives one for this computer).",
    "WEBHOOK_NOT_FOUND": "No webhook with that uid belongs to this account and sender: check the uid, "
    "or pick the sender it was created for.",
    "FEATURE_NOT_AVAILABLE": "Your Whats91 plan does not include Webhooks v2: ask Whats91 to enable it.",
    "WHATSAPP_SETUP_INCOMPLETE": "Whats91 found no usable sender for this token: choose a sender, or "
    "finish the WhatsApp set-up in the dashboard.",
    "UNSUPPORTED_CONTENT_TYPE": "Whats91 did not take the request as JSON (this is a bug in the app).",
}


def explain_webhook_error(err: Whats91Error) -> str:
    """One or two sentences for ``err``, with the server's own words and the request id."""
    if isinstance(err, ValidationError):
        return "; ".join(f"{p.field}: {p.message}" for p in err.problems) or str(err)
    if isinstance(err, ConnectError):
        return f"Whats91 could not be reached, so nothing was changed ({err})."
    if isinstance(err, OutcomeUnknown):
        return str(err)
    if not isinstance(err, ApiError):
        return str(err)
    request_id = f" (requestId {err.request_id})" if err.request_id else ""
    code = err.code or ""
    if code == "VALIDATION_FAILED":
        hint = ""
        if "event" in err.message.lower():
            hint = " Reload the event catalog: an event you chose is not in it."
        return f"Whats91 refused the webhook: {err.message}.{hint}{request_id}"
    explanation = _EXPLANATIONS.get(code)
    if explanation is not None:
        return f"{explanation} Whats91 said: {err.message}{request_id}"
    if err.http_status == 401:
        return f"The API token was refused ({code or 'HTTP 401'}): {err.message}{request_id}"
    return f"{err}{request_id}"
