"""Profiles: the saved ones plus the built-in sandbox, and saving, renaming and deleting them.

A profile's token never goes into the settings: it lives in the keychain (or the private
fallback file) under the profile's name, moves with a rename and disappears with a delete.
Saving therefore changes two stores together, and both are slow (D-Bus, an fsync), so it is
all coroutines on the worker threads while the window stays responsive.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from whats91_desktop.core.errors import ConfigError
from whats91_desktop.core.models import Profile, Sender
from whats91_desktop.core.settings import (
    PROFILE_SPECS,
    remember_sender,
    with_profile,
    with_ui_state,
    without_profile,
)
from whats91_desktop.core.variables import Variables, variables_from_json, variables_to_json
from whats91_desktop.services.client_pool import ClientPool
from whats91_desktop.services.sandbox_profile import SANDBOX_PROFILE, SANDBOX_PROFILE_NAME
from whats91_desktop.services.settings_writer import SettingsWriter
from whats91_desktop.services.tokens import TokenCache
from whats91_desktop.services.topic import Topic

log = logging.getLogger(__name__)


class ProfilesService:
    def __init__(self, settings: SettingsWriter, tokens: TokenCache, clients: ClientPool) -> None:
        self._settings = settings
        self._tokens = tokens
        self._clients = clients
        self._sandbox = replace(SANDBOX_PROFILE, variables=_sandbox_variables(settings.current.ui_state))
        """The built-in profile; it learns phoneNumberIds like any other, but only in memory."""
        self.renamed: Topic[tuple[str, str]] = Topic()
        """``(old name, new name)`` after a rename is saved (saved requests follow the profile)."""

    # ------------------------------------------------------------------ lookup

    def names(self) -> list[str]:
        """User profiles in their saved order; the built-in sandbox is separate."""
        return [p.name for p in self._settings.current.profiles]

    def saved(self) -> tuple[Profile, ...]:
        return self._settings.current.profiles

    def find(self, name: str) -> Profile | None:
        """The profile called ``name``, the built-in sandbox included."""
        found = self._settings.current.profile(name)
        if found is not None:
            return found
        return self._sandbox_now() if name == SANDBOX_PROFILE_NAME else None

    def _sandbox_now(self) -> Profile:
        """The built-in profile with the Preferences' region and timeouts: a change there gives
        the sandbox a new client (the pool sees a changed profile), without a restart."""
        return self._preferred(self._sandbox)

    def blank(self) -> Profile:
        """What a new profile starts from: no name, the Preferences' region and timeouts."""
        return self._preferred(Profile(name=""))

    def _preferred(self, profile: Profile) -> Profile:
        settings = self._settings.current
        return replace(
            profile,
            default_region=settings.preference("default_region"),
            connect_timeout=float(settings.preference("connect_timeout")),
            read_timeout=float(settings.preference("read_timeout")),
        )

    def get(self, name: str) -> Profile:
        """:meth:`find`, or ConfigError."""
        found = self.find(name)
        if found is None:
            raise ConfigError(f"no profile named {name!r}")
        return found

    def has(self, name: str) -> bool:
        return self.find(name) is not None

    # ------------------------------------------------------------------ changes

    async def save(self, profile: Profile, token: str | None, *, original_name: str | None = None) -> None:
        """Add or replace (``original_name``) a profile; ``token`` None keeps the stored one.

        Raises ConfigError (nothing changed) when the profile is invalid, its name is taken, or
        it has no token at all; ConfigError too when the settings cannot be written (then the
        settings in use are put back, but the keychain already holds the new token).
        """
        if profile.name == SANDBOX_PROFILE_NAME:
            raise ConfigError(f"“{SANDBOX_PROFILE_NAME}” is the built-in sandbox; choose another name")
        before = self._settings.current
        if original_name is None and before.profile(profile.name) is not None:
            raise ConfigError(f"a profile named {profile.name!r} already exists")
        token = token.strip() if token else None
        original = before.profile(original_name) if original_name else None
        old_token = await self._tokens.token_for(original) if original else None
        if not token and not old_token and not profile.sandbox:
            raise ConfigError("enter the API token for this profile")
        updated = with_profile(before, profile, replacing=original_name)
        renamed = original_name is not None and original_name != profile.name
        secrets = self._tokens.secrets
        if renamed and original_name:
            await self._tokens.run_keychain(secrets.rename, original_name, profile.name)
            self._tokens.forget(original_name)
            self._tokens.remember(profile.name, old_token)
        if token:
            await self._tokens.run_keychain(secrets.set, profile.name, token)
            self._tokens.remember(profile.name, token)
        try:
            await self._settings.save(updated, report=False)
        except ConfigError:
            self._settings.restore(before, unless_changed_from=updated)
            raise
        if original_name:
            self._clients.forget(original_name)
        self._clients.forget(profile.name)
        log.info("profile %r saved%s", profile.name, f" (was {original_name!r})" if renamed else "")
        if renamed and original_name:
            self.renamed.publish((original_name, profile.name))

    async def set_variables(self, name: str, variables: Variables) -> None:
        """Give profile ``name`` new ``{{variable}}`` values; ConfigError (nothing changed) when
        they are invalid or cannot be written. The client stays: variables are not the connection.

        The built-in sandbox is never saved as a profile, so its values live in the window state
        (``sandbox_variables``): they survive a restart as a saved profile's do.
        """
        before = self._settings.current
        if before.profile(name) is None and name == SANDBOX_PROFILE_NAME:
            problem = PROFILE_SPECS["variables"].problem(variables)
            if problem:
                raise ConfigError(f"variables not saved: {problem}")
            updated = with_ui_state(before, sandbox_variables=variables_to_json(variables) or None)
        else:
            updated = with_profile(before, replace(self.get(name), variables=variables))
        try:
            await self._settings.save(updated, report=False)
        except ConfigError:
            self._settings.restore(before, unless_changed_from=updated)
            raise
        if before.profile(name) is None:
            self._sandbox = replace(self._sandbox, variables=variables)

    async def delete(self, name: str) -> None:
        """Remove the profile and its token (ask the user before calling this)."""
        await self._settings.save(without_profile(self._settings.current, name), report=False)
        self._clients.forget(name)
        self._tokens.remember(name, None)
        await self._tokens.run_keychain(self._tokens.secrets.delete, name)
        self._tokens.forget(name)
        log.info("profile %r deleted", name)

    def remember_sender(self, profile_name: str, sender: Sender) -> bool:
        """Record a sender (and its phoneNumberId) on the profile; True when something changed.

        A saved profile's settings are written in the background (a failure is reported).
        """
        settings = self._settings.current
        if settings.profile(profile_name) is None:
            if profile_name != SANDBOX_PROFILE_NAME:
                return False
            known = {s.sender_id: s for s in self._sandbox.senders}
            old = known.get(sender.sender_id)
            if old is not None and (old.phone_number_id or not sender.phone_number_id):
                return False
            known[sender.sender_id] = Sender(sender.sender_id, sender.phone_number_id or None)
            self._sandbox = replace(self._sandbox, senders=tuple(known.values()))
            return True
        updated = remember_sender(settings, profile_name, sender)
        if updated is settings:
            return False
        self._settings.save(updated)
        return True


def _sandbox_variables(ui_state: dict[str, object]) -> Variables:
    """The built-in sandbox's saved values; none when what is saved is not valid."""
    variables = variables_from_json(ui_state.get("sandbox_variables", {}))
    return variables if PROFILE_SPECS["variables"].problem(variables) is None else ()
