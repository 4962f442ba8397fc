"""Saving and deleting a profile: the settings file and the secret store change together.

The token never goes into the settings; it goes to the keychain (or the private fallback
file) under the profile's name, and moves with a rename and disappears with a delete.
"""

from __future__ import annotations

from whats91_desktop.core.errors import ConfigError
from whats91_desktop.core.models import Profile
from whats91_desktop.core.settings import with_profile, without_profile
from whats91_desktop.ui.context import SANDBOX_PROFILE_NAME, AppContext


def save_profile(
    context: AppContext, profile: Profile, token: str | None, *, original_name: str | None = None
) -> None:
    """Add or replace (``original_name``) a profile; ``token`` None keeps the stored one.

    Raises ConfigError (nothing changed) when the profile is invalid, its name is taken, or it
    has no token at all.
    """
    if profile.name == SANDBOX_PROFILE_NAME:
        raise ConfigError(f"“{SANDBOX_PROFILE_NAME}” is the built-in sandbox; choose another name")
    if original_name is None and context.settings.profile(profile.name) is not None:
        raise ConfigError(f"a profile named {profile.name!r} already exists")
    token = token.strip() if token else None
    had_token = bool(original_name and context.secret_store.get(original_name))
    if not token and not had_token and not profile.sandbox:
        raise ConfigError("enter the API token for this profile")
    updated = with_profile(context.settings, profile, replacing=original_name)
    renamed = original_name is not None and original_name != profile.name
    if renamed and original_name:
        context.secret_store.rename(original_name, profile.name)
    if token:
        context.secret_store.set(profile.name, token)
    context.save_settings(updated)
    if original_name:
        context.forget_client(original_name)
    context.forget_client(profile.name)


def delete_profile(context: AppContext, name: str) -> None:
    """Remove the profile and its token (ask the user before calling this)."""
    context.save_settings(without_profile(context.settings, name))
    context.secret_store.delete(name)
    context.forget_client(name)
