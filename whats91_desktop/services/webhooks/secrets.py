"""Webhook signing secrets and verification tokens: the keychain, by webhook uid, read once.

Every keychain call runs on the keychain thread (``TokenCache.run_keychain``), like the
tokens. What was read or written this session is kept in memory, so checking each delivery
does not go back to D-Bus. The built-in sandbox's webhooks live only as long as the app (its
state is in memory), so their secrets are kept in memory too and never reach the keychain.
"""

from __future__ import annotations

from whats91_desktop.core.models import Profile
from whats91_desktop.core.secrets import WebhookSecretKind
from whats91_desktop.core.webhooks import WebhookDraft
from whats91_desktop.services.sandbox_profile import is_builtin_sandbox
from whats91_desktop.services.tokens import TokenCache


class WebhookSecrets:
    def __init__(self, tokens: TokenCache) -> None:
        self._tokens = tokens
        self._known: dict[tuple[str, WebhookSecretKind], str | None] = {}
        self._session_only: set[str] = set()

    def where(self, profile: Profile) -> str:
        """Where a new secret of ``profile`` goes, in the user's words (the one-time dialog says it)."""
        if is_builtin_sandbox(profile):
            return "kept in memory for this session (sandbox webhooks last as long as the app)"
        if self._tokens.secrets.using_fallback:
            return f"stored in {self._tokens.secrets.file_path} (readable only by you; no keychain here)"
        return "stored in your keychain"

    async def store(
        self, profile: Profile, webhook_uid: str, secret: str, kind: WebhookSecretKind = "signing"
    ) -> None:
        self._known[(webhook_uid, kind)] = secret
        self._tokens.secrets.note_secret(secret)
        if is_builtin_sandbox(profile):
            self._session_only.add(webhook_uid)
            return
        await self._tokens.run_keychain(self._tokens.secrets.set_webhook_secret, webhook_uid, secret, kind)

    async def get(self, webhook_uid: str, kind: WebhookSecretKind = "signing") -> str | None:
        """The stored secret (None when there is none); the keychain is read once per session."""
        key = (webhook_uid, kind)
        if key not in self._known:
            if webhook_uid in self._session_only:
                return None
            self._known[key] = await self._tokens.run_keychain(
                self._tokens.secrets.webhook_secret, webhook_uid, kind
            )
        return self._known[key]

    async def forget(self, webhook_uid: str, kind: WebhookSecretKind) -> None:
        self._known[(webhook_uid, kind)] = None
        if webhook_uid not in self._session_only:
            await self._tokens.run_keychain(self._tokens.secrets.delete_webhook_secret, webhook_uid, kind)

    async def keep(
        self, profile: Profile, webhook_uid: str, draft: WebhookDraft, signing_secret: str | None = None
    ) -> None:
        """What a create or an update leaves to keep: the new signing secret (a create's), and
        the verification token the draft set or cleared."""
        if draft.verification_token:
            await self.store(profile, webhook_uid, draft.verification_token, "verification")
        elif draft.clear_verification_token:
            await self.forget(webhook_uid, "verification")
        if signing_secret:
            await self.store(profile, webhook_uid, signing_secret)

    def known(self) -> tuple[str, ...]:
        """Every secret read or written this session (to scrub from what is shown)."""
        return tuple(value for value in self._known.values() if value)
