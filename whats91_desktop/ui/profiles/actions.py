"""Saving and deleting a profile: the settings file and the secret store change together.

The token never goes into the settings; it goes to the keychain (or the private fallback
file) under the profile's name, and moves with a rename and disappears with a delete.

Both are coroutines: the keychain is reached over D-Bus (it may block, or ask the user to
unlock it) and the settings are written with an fsync, so all of it runs on the context's
worker threads while the window stays responsive.
"""

from __future__ import annotations

import logging

from whats91_desktop.core.errors import ConfigError
from whats91_desktop.core.models import Profile
from whats91_desktop.core.settings import with_profile, without_profile
from whats91_desktop.ui.context import SANDBOX_PROFILE_NAME, AppContext

log = logging.getLogger(__name__)


async def save_profile(
    context: AppContext, profile: Profile, token: str | None, *, original_name: str | None = None
) -> None:
    """Add or replace (``original_name``) a profile; ``token`` None keeps the stored one.

    Raises ConfigError (nothing changed) when the profile is invalid, its name is taken, or it
    has no token at all; ConfigError too when the settings cannot be written (then the settings
    in use are put back, but the keychain already holds the new token).
    """
    if profile.name == SANDBOX_PROFILE_NAME:
        raise ConfigError(f"“{SANDBOX_PROFILE_NAME}” is the built-in sandbox; choose another name")
    if original_name is None and context.settings.profile(profile.name) is not None:
        raise ConfigError(f"a profile named {profile.name!r} already exists")
    token = token.strip() if token else None
    old_token = await context.load_token(original_name) if original_name else None
    if not token and not old_token and not profile.sandbox:
        raise ConfigError("enter the API token for this profile")
    before = context.settings
    updated = with_profile(before, profile, replacing=original_name)
    renamed = original_name is not None and original_name != profile.name
    store = context.secret_store
    if renamed and original_name:
        await context.run_keychain(store.rename, original_name, profile.name)
        context.forget_token(original_name)
        context.remember_token(profile.name, old_token)
    if token:
        await context.run_keychain(store.set, profile.name, token)
        context.remember_token(profile.name, token)
    try:
        await context.save_settings(updated, report=False)
    except ConfigError:
        if context.settings is updated:
            context.settings = before
        raise
    if original_name:
        context.forget_client(original_name)
    context.forget_client(profile.name)
    log.info("profile %r saved%s", profile.name, f" (was {original_name!r})" if renamed else "")


async def delete_profile(context: AppContext, name: str) -> None:
    """Remove the profile and its token (ask the user before calling this)."""
    await context.save_settings(without_profile(context.settings, name), report=False)
    context.forget_client(name)
    context.remember_token(name, None)
    await context.run_keychain(context.secret_store.delete, name)
    context.forget_token(name)
    log.info("profile %r deleted", name)
