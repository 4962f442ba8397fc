"""The sandbox's approved templates, in the documented ``GET /templates`` shape.

The real list shape is undocumented; this one is the contract between the sandbox and the client.
Every sender of the sandbox owns the same templates.
"""

from __future__ import annotations

import copy
import re
from typing import Any

_VARIABLE = re.compile(r"\{\{\s*(\d+)\s*\}\}")

TemplateDict = dict[str, Any]

_TEMPLATES: tuple[TemplateDict, ...] = (
    {
        "templateUid": "6f1c2a9e-1b1e-4a53-9d0e-5a1c0b7d1001",
        "templateId": "w91_1780300000000_pay00001",
        "templateName": "payment_reminder",
        "category": "UTILITY",
        "language": "en",
        "status": "APPROVED",
        "header": {"type": "TEXT", "text": "Payment due"},
        "body": {"text": "Hi {{1}}, invoice {{2}} is due. Tap below to pay it securely."},
        "footer": {"text": "Whats91"},
        "buttons": [{"type": "URL", "text": "Pay now", "url": "https://example.com/pay/{{1}}"}],
    },
    {
        "templateUid": "6f1c2a9e-1b1e-4a53-9d0e-5a1c0b7d1002",
        "templateId": "w91_1780300000000_dlv00002",
        "templateName": "delivery_receipt",
        "category": "UTILITY",
        "language": "en",
        "status": "APPROVED",
        "header": {"type": "DOCUMENT"},
        "body": {
            "text": "Hi {{1}}, your receipt for order {{2}} is attached. Thank you for shopping with us."
        },
        "footer": {"text": "Whats91"},
        "buttons": [],
    },
    {
        "templateUid": "6f1c2a9e-1b1e-4a53-9d0e-5a1c0b7d1003",
        "templateId": "w91_1780300000000_shp00003",
        "templateName": "order_shipped",
        "category": "UTILITY",
        "language": "en",
        "status": "APPROVED",
        "header": {"type": "IMAGE"},
        "body": {"text": "Good news {{1}}! Order {{2}} has shipped and should reach you by {{3}}."},
        "footer": {"text": "Reply STOP to opt out"},
        "buttons": [
            {"type": "URL", "text": "Track order", "url": "https://example.com/orders"},
            {"type": "QUICK_REPLY", "text": "Talk to us"},
        ],
    },
    {
        "templateUid": "6f1c2a9e-1b1e-4a53-9d0e-5a1c0b7d1004",
        "templateId": "w91_1780300000000_otp00004",
        "templateName": "login_otp",
        "category": "AUTHENTICATION",
        "language": "en",
        "status": "APPROVED",
        "header": None,
        "body": {"text": "{{1}} is your verification code. For your security, do not share this code."},
        "footer": None,
        "buttons": [{"type": "COPY_CODE", "text": "Copy code", "example": "123456"}],
    },
    {
        "templateUid": "6f1c2a9e-1b1e-4a53-9d0e-5a1c0b7d1005",
        "templateId": "w91_1780300000000_wel00005",
        "templateName": "welcome_message",
        "category": "MARKETING",
        "language": "en",
        "status": "APPROVED",
        "header": {"type": "TEXT", "text": "Welcome!"},
        "body": {"text": "Thanks for joining us. Reply HELP at any time to reach our team."},
        "footer": {"text": "Whats91"},
        "buttons": [{"type": "QUICK_REPLY", "text": "Get started"}],
    },
    {
        "templateUid": "6f1c2a9e-1b1e-4a53-9d0e-5a1c0b7d1006",
        "templateId": "w91_1780300000000_car00006",
        "templateName": "summer_carousel",
        "category": "MARKETING",
        "language": "en",
        "status": "APPROVED",
        "format": "CAROUSEL",
        "header": None,
        "body": {"text": "Summer picks for you, {{1}}."},
        "footer": None,
        "buttons": [],
        "cards": [
            {
                "header": {"type": "IMAGE"},
                "body": {"text": "Linen shirts from {{1}}"},
                "buttons": [{"type": "URL", "text": "Shop", "url": "https://example.com/shirts"}],
            },
            {
                "header": {"type": "IMAGE"},
                "body": {"text": "Sandals from {{1}}"},
                "buttons": [{"type": "URL", "text": "Shop", "url": "https://example.com/sandals"}],
            },
        ],
    },
)

MEDIA_HEADER_TYPES = frozenset({"IMAGE", "VIDEO", "DOCUMENT"})


def all_templates() -> list[TemplateDict]:
    """Fresh deep copies, so a test may edit ``state.templates`` without touching the originals."""
    return [copy.deepcopy(t) for t in _TEMPLATES]


def is_carousel(template: TemplateDict) -> bool:
    return str(template.get("format", "")).upper() == "CAROUSEL"


def body_variable_count(template: TemplateDict) -> int:
    """Highest ``{{n}}`` in the body text (0 when none)."""
    body = template.get("body") or {}
    text = body.get("text", "") if isinstance(body, dict) else ""
    return max((int(n) for n in _VARIABLE.findall(str(text))), default=0)


def button_variable_count(template: TemplateDict) -> int:
    """URL buttons with a ``{{n}}`` and COPY_CODE buttons each take one button parameter."""
    count = 0
    for button in template.get("buttons") or []:
        kind = str(button.get("type", "")).upper()
        if kind == "COPY_CODE" or (kind == "URL" and _VARIABLE.search(str(button.get("url", "")))):
            count += 1
    return count


def header_type(template: TemplateDict) -> str | None:
    header = template.get("header")
    if isinstance(header, dict) and header.get("type"):
        return str(header["type"]).upper()
    return None


def needs_media(template: TemplateDict) -> bool:
    return header_type(template) in MEDIA_HEADER_TYPES
