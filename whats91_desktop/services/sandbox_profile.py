"""The built-in profile: always there, never saved, talks to the in-process sandbox."""

from __future__ import annotations

from whats91_desktop.core.models import Profile, Sender
from whats91_desktop.sandbox.constants import SANDBOX_BASE_URL, SANDBOX_SENDERS

SANDBOX_PROFILE_NAME = "Sandbox"

SANDBOX_PROFILE = Profile(
    name=SANDBOX_PROFILE_NAME,
    base_url=SANDBOX_BASE_URL,
    default_sender=SANDBOX_SENDERS[0][0],
    senders=tuple(Sender(sender_id, phone_number_id) for sender_id, phone_number_id in SANDBOX_SENDERS),
    default_region="IN",
    sandbox=True,
)


def is_builtin_sandbox(profile: Profile) -> bool:
    return profile.sandbox and profile.name == SANDBOX_PROFILE_NAME
