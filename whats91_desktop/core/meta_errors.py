"""Plain-language hints for the error codes a support person meets most often.

Meta's numeric codes reach us unchanged through Whats91 (failed status events, error
bodies); the Whats91 codes are the documented ones from the API reference. A hint says
what probably happened and what to do next; the raw code and message are always shown
next to it, so a missing hint costs nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

_TOKEN_HINT = (
    "The access token was refused: it is wrong, expired, revoked or inactive. "
    "Paste a fresh token into the profile, then try again."
)

_HINTS: Mapping[str, str] = MappingProxyType(
    {
        # ---- Meta: delivery to the person
        "131026": (
            "Undeliverable: the number is probably not on WhatsApp, uses a very old WhatsApp version, "
            "or has not accepted WhatsApp's latest terms. Check the number with the customer; "
            "sending again will not help."
        ),
        "131047": (
            "More than 24 hours have passed since the customer last replied, so a free-form message "
            "is not allowed. Send an approved template instead."
        ),
        "131049": (
            "Meta chose not to deliver this marketing message to keep engagement healthy for this "
            "person. Do not retry at once; try later or with a different template."
        ),
        "131050": "The person has stopped marketing messages from this business. Do not resend.",
        "131051": "That message type is not supported. Use text, media, a template or interactive.",
        "131053": (
            "Media upload or download failed. Check the media URL is public (opens without a login), "
            "the file type is allowed and the file is not too large."
        ),
        "131052": "WhatsApp could not download the media the person sent. Ask them to send it again.",
        "131021": "The recipient is the sender's own number. Choose another recipient.",
        "131031": (
            "The WhatsApp Business account is locked (policy or verification problem). "
            "Contact the account owner or Whats91 support; sending again will not help."
        ),
        "131042": "A billing or payment problem on the business account. Contact the account owner.",
        "131045": "The sender number is not registered correctly (certificate problem). Re-register it.",
        "131048": (
            "Spam rate limit: too many messages were blocked or reported. Slow down and review the "
            "content and the recipients' opt-in."
        ),
        "131056": (
            "Pair rate limit: too many messages to the same person in a short time (about one every "
            "6 seconds). Wait a minute before sending to this number again."
        ),
        "131057": (
            "The business account is in maintenance (for example a throughput upgrade). "
            "Wait a few minutes and try again."
        ),
        "131000": "Meta reported an unknown error. Try again later; if it persists, contact support.",
        "131005": "Access denied: the token lacks permission for this sender or action.",
        "131008": "A required parameter is missing from the message.",
        "131009": "A parameter value is invalid (wrong format or not allowed). Check the message fields.",
        "131016": "WhatsApp is temporarily unavailable. Try again in a few minutes.",
        "133010": "The sender number is not registered on the WhatsApp Business platform.",
        "130472": (
            "Meta held this marketing message back as part of an experiment for this person. "
            "Nothing is wrong with the message; do not resend immediately."
        ),
        "130429": (
            "Throughput limit reached: messages are being sent faster than the number allows. "
            "Slow down and retry with a pause between messages."
        ),
        "80007": "The WhatsApp Business account hit a rate limit. Slow down and try again later.",
        "4": "Too many API calls for this app. Wait a few minutes before trying again.",
        # ---- Meta: templates
        "132000": (
            "Template parameter count mismatch: the number of values does not match the {{n}} "
            "placeholders in the template. Fill in exactly as many as the template has."
        ),
        "132001": (
            "The template does not exist in that language (or is not approved yet). "
            "Check the name and language in the template list."
        ),
        "132005": "A template value makes the text too long. Shorten the parameter values.",
        "132007": "The template text breaks a formatting or content rule. Edit the values or the template.",
        "132012": "A template value has the wrong format (for example text where media was expected).",
        "132015": "The template is paused because of low quality. Use another template or fix this one.",
        "132016": "The template is disabled because of low quality. Use another template.",
        "100": "Invalid parameter: a field of the request has a wrong or unsupported value.",
        "470": (
            "More than 24 hours have passed since the customer last replied. "
            "Send an approved template instead."
        ),
        # ---- Meta: account and token
        "368": (
            "The business is temporarily blocked for policy violations. Check the account quality in "
            "WhatsApp Manager; sending again will not help."
        ),
        "190": _TOKEN_HINT,
        "401": _TOKEN_HINT,
        "10": "Permission denied: the token does not have permission for this action or number.",
        "200": "Permission denied: the token does not have permission for this action or number.",
        # ---- Whats91 (documented codes)
        "INVALID_PUBLIC_API_TOKEN": _TOKEN_HINT,
        "INVALID_AUTH_TOKEN": _TOKEN_HINT,
        "MISSING_AUTH_TOKEN": "No token was sent. Add a token to the profile.",
        "MISSING_BEARER_TOKEN": "No token was sent. Add a token to the profile.",
        "SENDER_NOT_ALLOWED": (
            "This token is limited to one sender number and another sender was asked for. "
            "Pick the token's own sender or use an account-wide token."
        ),
        "TOKEN_SCOPE_NOT_ALLOWED": "This needs an account-wide token; this one is limited to one number.",
        "FEATURE_NOT_AVAILABLE": "The Whats91 subscription does not include this feature.",
        "PHONE_NUMBER_NOT_FOUND": "That phone number id is not connected to this account. Check the sender.",
        "MESSAGE_NOT_FOUND": (
            "Whats91 has no message with that id (yet). Reports can lag a few seconds behind a send."
        ),
        "WHATSAPP_SETUP_INCOMPLETE": "The WhatsApp setup of this account is incomplete: no usable sender.",
        "UNSUPPORTED_MESSAGE_TYPE": "That message type is not supported by the API.",
    }
)


def hint_for(code: str | int | None) -> str | None:
    """A one- or two-sentence hint for ``code``, or ``None`` when we have nothing useful to say.

    Accepts ints and strings as the API gives them (``131026``, ``"131026"``, ``" 131026 "``,
    ``"invalid_auth_token"``).
    """
    if code is None or isinstance(code, bool):
        return None
    key = str(code).strip()
    if not key:
        return None
    key = str(int(key)) if key.lstrip("-").isdigit() else key.upper()
    return _HINTS.get(key)


def known_codes() -> frozenset[str]:
    """Every code with a hint (for tests and documentation)."""
    return frozenset(_HINTS)
