"""What a failed Conversations read means, in the words the user reads (pane and CLI).

The errors come through the one error tree (``ApiError`` by HTTP status); this says, per code
documented in §2.6, what happened and what to do. Nothing is changed by these routes, so no
explanation ever has to say "it may have been applied".
"""

from __future__ import annotations

from whats91_desktop.core.errors import ApiError, ConnectError, ValidationError, Whats91Error

_EXPLANATIONS = {
    "CONVERSATION_NOT_FOUND": "No conversation with that id belongs to this account and sender: "
    "reload the list, or pick the sender the conversation is with.",
    "MISSING_AUTH_TOKEN": "No API token was sent: set the profile's token.",
    "INVALID_AUTH_TOKEN": "The API token was refused (invalid, expired or revoked): paste a current one.",
    "SENDER_NOT_ALLOWED": "This token is limited to another sender number: pick that sender, "
    "or use an account-wide token.",
    "FEATURE_NOT_AVAILABLE": "Your Whats91 plan does not include conversation reports: "
    "ask Whats91 to enable it.",
    "WHATSAPP_SETUP_INCOMPLETE": "Whats91 found no usable sender for this token: choose a sender, or "
    "finish the WhatsApp set-up in the dashboard.",
    "VALIDATION_FAILED": "Whats91 refused the filters of this request.",
}


def explain_conversation_error(err: Whats91Error) -> str:
    """One or two sentences for ``err``, with the server's own words and the request id."""
    if isinstance(err, ValidationError):
        return "; ".join(f"{p.field}: {p.message}" for p in err.problems) or str(err)
    if isinstance(err, ConnectError):
        return f"Whats91 could not be reached ({err}); the conversations shown are the last ones read."
    if not isinstance(err, ApiError):
        return str(err)
    request_id = f" (requestId {err.request_id})" if err.request_id else ""
    explanation = _EXPLANATIONS.get(err.code or "")
    if explanation is None:
        return f"{err}{request_id}"
    return f"{explanation} Whats91 said: {err.message}{request_id}"
